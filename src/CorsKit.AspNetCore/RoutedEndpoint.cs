using CorsKit.AspNetCore.Preflights;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace CorsKit.AspNetCore;

/// <summary>The endpoint whose CORS policy and hooks a response gets.</summary>
internal static class RoutedEndpoint
{
    // The endpoint ASP.NET Core's routing answers with when no endpoint of the path accepts the method.
    private const string MethodNotAllowedDisplayName = "405 HTTP Method Not Supported";

    /// <summary>
    /// The endpoint the request was routed to, with two corrections:
    /// - <c>UseExceptionHandler</c> and <c>UseStatusCodePagesWithReExecute</c> clear it and run the pipeline again for their
    ///   error page, but the browser asked for the original URL and checks the error response against that URL's policy
    ///   (the one its preflight got): so those responses use the endpoint the middleware recorded before clearing it;
    /// - routing's 405 endpoint has no metadata: a 405 gets the policy of the path (noted by <see cref="PreflightJumpTable"/>),
    ///   as its preflight did;
    /// - a preflight answered by CorsKit was routed to a preflight twin: the twin's target is the endpoint.
    /// </summary>
    /// <remarks>
    /// The two features are read through the collection's indexer: <c>Features.Get&lt;T&gt;()</c> is a generic method
    /// called through an interface, whose dispatch costs more on every response.
    /// </remarks>
    /// <param name="context">The request.</param>
    /// <param name="routed">The request's endpoint now (<c>context.GetEndpoint()</c>), which the caller has read already.</param>
    public static Endpoint? Of(HttpContext context, Endpoint? routed)
    {
        var features = context.Features;
        var endpoint = features[typeof(IExceptionHandlerFeature)] is IExceptionHandlerFeature handled ? handled.Endpoint
            : features[typeof(IStatusCodeReExecuteFeature)] is IStatusCodeReExecuteFeature reExecuted ? reExecuted.Endpoint
            : routed;
        if (PreflightEndpoints.Answers(endpoint))
        {
            return PreflightEndpoints.TargetOf(endpoint!).Endpoint;
        }

        if (endpoint is { Metadata.Count: 0, DisplayName: MethodNotAllowedDisplayName }
            && context.Items.TryGetValue(PreflightJumpTable.MethodNotAllowedKey, out var path))
        {
            return (Endpoint?)path;
        }

        return endpoint;
    }
}
