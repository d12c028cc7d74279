using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace CorsKit.Benchmarks.Infrastructure;

/// <summary>
/// Registered as the first startup filter, so it is the outermost one: its pass-through middleware receives, as
/// <c>next</c>, the application's whole pipeline exactly as the host built it (host filtering, CorsKit's startup filter,
/// routing, Microsoft's CORS, endpoints). The benchmark invokes that delegate directly.
/// </summary>
internal sealed class PipelineCapture : IStartupFilter
{
    public RequestDelegate? Pipeline { get; private set; }

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(inner =>
        {
            Pipeline = inner;
            return inner;
        });
        next(app);
    };
}
