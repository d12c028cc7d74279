using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CorsKit.AspNetCore;

/// <summary>CorsKit's per-application state: whether <c>UseCorsKit()</c> switched it on, debug mode, and the last-resort 500.</summary>
internal sealed class CorsKitRuntime(IOptions<CorsKitOptions> options, IHostEnvironment environment)
{
    /// <summary>Whether <c>app.UseCorsKit()</c> was called.</summary>
    public bool Enabled { get; set; }

    /// <summary>Whether some endpoint carries Microsoft's <c>ICorsMetadata</c>, whose endpoint-middleware check must be satisfied.</summary>
    public bool MarkCorsHandled { get; set; }

    public string DiagnosticHeaderName { get; } = options.Value.DiagnosticHeaderName;

    /// <summary>Debug mode: <see cref="CorsKitOptions.DebugMode"/>, or on in Development when it is not set.</summary>
    public bool IsDebug { get; } = options.Value.DebugMode ?? environment.IsDevelopment();

    /// <summary>
    /// An exception reached the outermost middleware: no exception handler took it. Kestrel would send a bare 500 and skip
    /// the response's OnStarting callbacks, so the browser would report a CORS error. Write the 500 here instead; the
    /// CORS headers are added as it starts. In debug mode the body shows the exception; otherwise it says nothing more.
    /// Returns <see langword="false"/> when the response had already started: nothing can be added, and the caller
    /// rethrows, so the server ends the response as incomplete (Kestrel: HTTP/1.1 closes the connection before the end of
    /// the body, HTTP/2 resets the stream), as ASP.NET Core's exception handler and developer page do. Aborting the
    /// connection instead would send a TCP reset, which can make the client lose even the headers already sent.
    /// </summary>
    public async Task<bool> TryWriteErrorResponseAsync(HttpContext context, Exception exception, ILogger logger)
    {
        var request = context.Request;
        var path = LogValue.PathOf(request);
        if (context.Response.HasStarted)
        {
            Log.ExceptionAfterResponseStarted(logger, request.Method, path);
            return false;
        }

        context.Response.Clear();
        context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        try
        {
            await WriteProblemAsync(context, exception).ConfigureAwait(false);
        }
        catch (Exception writeFailure) when (!context.RequestAborted.IsCancellationRequested)
        {
            // The server refused the 500 (an OnStarting callback of the app threw, so the server answers with its own bare
            // 500 and ignores the headers): say so, rather than claim the CORS headers went out.
            Log.ErrorResponseFailed(logger, exception, request.Method, path, writeFailure.GetType().Name);
            return true;
        }

        Log.UnhandledException(logger, exception, request.Method, path);
        return true;
    }

    private async Task WriteProblemAsync(HttpContext context, Exception exception)
    {
        // An app that registered AddProblemDetails gets its own customisation (type, traceId, extensions) here too.
        if (context.RequestServices?.GetService(typeof(IProblemDetailsService)) is IProblemDetailsService problems
            && await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = Problem(exception), Exception = exception }).ConfigureAwait(false))
        {
            return;
        }

        // Otherwise the same problem, serialized here (a fresh copy: the service may have changed the one it declined).
        context.Response.ContentType = "application/problem+json";
        await JsonSerializer.SerializeAsync(context.Response.Body, Problem(exception), JsonOptions, context.RequestAborted).ConfigureAwait(false);
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    // The 500's body: in debug mode, the exception's type, message and stack trace; otherwise nothing more than a title.
    private ProblemDetails Problem(Exception exception)
    {
        var details = new ProblemDetails
        {
            Status = StatusCodes.Status500InternalServerError,
            Title = IsDebug ? "An unhandled exception occurred while processing the request." : "An error occurred while processing your request.",
            Detail = IsDebug ? $"{exception.GetType().FullName}: {exception.Message}" : null,
        };
        if (IsDebug)
        {
            details.Extensions["exception"] = new ExceptionDetails(exception.GetType().FullName ?? exception.GetType().Name, exception.Message, exception.StackTrace ?? string.Empty);
        }

        return details;
    }

    private sealed record ExceptionDetails(string Type, string Message, string StackTrace);
}
