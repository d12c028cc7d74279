using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace CorsKit.Benchmarks.Infrastructure;

/// <summary>Puts <see cref="FloorMiddleware"/> outside everything the app configures (routing included), where CorsKit's own middleware runs.</summary>
internal sealed class FloorStartupFilter(FloorResponse response) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseMiddleware<FloorMiddleware>(response);
        next(app);
    };
}
