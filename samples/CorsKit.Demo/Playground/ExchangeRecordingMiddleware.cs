using CorsKit.Browser;
using Microsoft.AspNetCore.Http.Extensions;

namespace CorsKit.Demo.Playground;

/// <summary>
/// Records requests tagged with <see cref="ExchangeRecorder.QueryParameter"/>. It runs outside CorsKit (see
/// <see cref="ExchangeRecordingStartupFilter"/>), so it sees preflights CorsKit answers, and it reads the response headers
/// once the response is complete, so they include what Kestrel added (Date, Server, Content-Length, Transfer-Encoding).
/// </summary>
internal sealed class ExchangeRecordingMiddleware(RequestDelegate next, ExchangeRecorder recorder)
{
    public Task InvokeAsync(HttpContext context)
    {
        var runId = context.Request.Query[ExchangeRecorder.QueryParameter].ToString();
        if (runId.Length == 0)
        {
            return next(context);
        }

        var request = context.Request;
        var (sequence, at) = recorder.Begin(runId);
        var method = request.Method;
        var url = request.GetEncodedUrl();
        var requestHeaders = Lines(request.Headers);
        context.Response.OnCompleted(() =>
        {
            recorder.Complete(runId, new RecordedExchange(sequence, at, method, url, requestHeaders, context.Response.StatusCode, Lines(context.Response.Headers)));
            return Task.CompletedTask;
        });
        return next(context);
    }

    private static HeaderField[] Lines(IHeaderDictionary headers) =>
        [.. headers.SelectMany(h => h.Value.Select(value => new HeaderField(h.Key, value ?? string.Empty)))];
}
