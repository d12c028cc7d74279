using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace CorsKit.AspNetCore;

/// <summary>The endpoint whose CORS policy and hooks a response gets.</summary>
internal static class RoutedEndpoint
{
    /// <summary>
    /// The endpoint the request was routed to. <c>UseExceptionHandler</c> and <c>UseStatusCodePagesWithReExecute</c> clear
    /// it and run the pipeline again for their error page, but the browser asked for the original URL and checks the
    /// error response against that URL's policy (the one its preflight got): so those responses use the endpoint the
    /// middleware recorded before clearing it (none when the request matched no endpoint).
    /// </summary>
    /// <remarks>
    /// The two features are read through the collection's indexer: <c>Features.Get&lt;T&gt;()</c> is a generic method
    /// called through an interface, whose dispatch cost about 20 ns each here, on every response.
    /// </remarks>
    public static Endpoint? Of(HttpContext context)
    {
        var features = context.Features;
        return features[typeof(IExceptionHandlerFeature)] is IExceptionHandlerFeature handled ? handled.Endpoint
            : features[typeof(IStatusCodeReExecuteFeature)] is IStatusCodeReExecuteFeature reExecuted ? reExecuted.Endpoint
            : context.GetEndpoint();
    }
}
