namespace CorsKit.Demo.Playground;

/// <summary>Puts <see cref="ExchangeRecordingMiddleware"/> in front of everything, CorsKit's own startup filter included.</summary>
internal sealed class ExchangeRecordingStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseMiddleware<ExchangeRecordingMiddleware>();
        next(app);
    };
}
