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
    public static Endpoint? Of(HttpContext context) =>
        context.Features.Get<IExceptionHandlerFeature>() is { } handled ? handled.Endpoint
        : context.Features.Get<IStatusCodeReExecuteFeature>() is { } reExecuted ? reExecuted.Endpoint
        : context.GetEndpoint();
}
