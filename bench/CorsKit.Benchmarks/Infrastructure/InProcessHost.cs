using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CorsKit.Benchmarks.Infrastructure;

/// <summary>
/// A real <see cref="WebApplication"/> (started on a TestServer so no socket is opened) whose built pipeline is invoked
/// directly with one <see cref="DefaultHttpContext"/> that is reused and reset between requests, the way Kestrel reuses
/// the context of a keep-alive connection. So what is measured is the middleware pipeline, not HTTP parsing or a client.
/// </summary>
public sealed class InProcessHost : IDisposable
{
    private const string Host = "api.example.com";

    private readonly WebApplication _app;
    private readonly RequestDelegate _pipeline;
    private readonly KestrelHeaders _requestHeaders = KestrelHeaders.ForRequest();
    private readonly HttpRequestFeature _request = new() { Protocol = "HTTP/1.1", Scheme = "https", Body = Stream.Null };
    private readonly ServerResponseFeature _response = new();
    private readonly RoutingFeature _routing = new();
    private readonly ItemsFeature _items = new();
    private readonly DefaultHttpContext _context;

    private InProcessHost(WebApplication app, RequestDelegate pipeline)
    {
        _app = app;
        _pipeline = pipeline;
        _request.Headers = _requestHeaders.Headers;
        var features = new ServerFeatures();
        features.Set<IHttpRequestFeature>(_request);
        features.Set<IHttpResponseFeature>(_response);
        features.Set<IHttpResponseBodyFeature>(_response);
        features.Set<IEndpointFeature>(_routing);
        features.Set<IRouteValuesFeature>(_routing);
        features.Set<IItemsFeature>(_items);
        features.Set<IHttpRequestLifetimeFeature>(new HttpRequestLifetimeFeature());

        // The root provider, not a scope per request: Microsoft's middleware resolves ICorsPolicyProvider per request,
        // and a real host would create a scope for that; giving it the root provider favours Microsoft, never CorsKit.
        features.Set<IServiceProvidersFeature>(new ServiceProvidersFeature { RequestServices = app.Services });
        _context = new DefaultHttpContext(features);
    }

    /// <summary>The response of the last request, to check a scenario does what it says before it is measured.</summary>
    public HttpResponse Response => _context.Response;

    /// <summary>
    /// Builds and starts an app with the given CORS implementation, routes and policies; <paramref name="floor"/> is the
    /// answer the floor sends (required for <see cref="Implementation.Floor"/>).
    /// </summary>
    public static InProcessHost Start(Implementation implementation, CorsSetup setup, FloorResponse? floor = null)
    {
        ArgumentNullException.ThrowIfNull(setup);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseTestServer();

        // No log output for any of the three: formatting log lines would dwarf what is measured.
        builder.Logging.ClearProviders();
        switch (implementation)
        {
            case Implementation.Microsoft:
                builder.Services.AddCors(setup.ConfigureMicrosoft);
                break;
            case Implementation.CorsKit:
                builder.Services.AddCorsKit(setup.ConfigureCorsKit);
                break;
            case Implementation.Floor:
                // Right inside the capture: outermost, before routing, where CorsKit's middleware runs.
                builder.Services.Insert(0, ServiceDescriptor.Singleton<IStartupFilter>(
                    new FloorStartupFilter(floor ?? throw new ArgumentNullException(nameof(floor), "the floor needs CorsKit's recorded answer"))));
                break;
        }

        // First of all the startup filters, registered last: AddCorsKit puts CorsKit's before those registered so far.
        var capture = new PipelineCapture();
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IStartupFilter>(capture));

        var app = builder.Build();
        switch (implementation)
        {
            case Implementation.Microsoft:
                app.UseCors();
                break;
            case Implementation.CorsKit:
                app.UseCorsKit();
                break;
        }

        setup.MapEndpoints(app, implementation);
        app.StartAsync().GetAwaiter().GetResult();
        if (!KestrelHeaders.IsKestrel)
        {
            Console.WriteLine("warning: Kestrel's header collections were not found; using HeaderDictionary (every pipeline pays more per header)");
        }

        return new InProcessHost(app, capture.Pipeline ?? throw new InvalidOperationException("the pipeline was not built"));
    }

    /// <summary>Sends one request through the pipeline and ends the response, as a server would.</summary>
    public Task SendAsync(BenchRequest request)
    {
        Reset(request);
        var task = _pipeline(_context);
        return task.IsCompletedSuccessfully ? _response.EndAsync() : EndAfterAsync(task);
    }

    /// <summary>Sends one request and waits for it (setup and checks only).</summary>
    public HttpResponse Send(BenchRequest request)
    {
        SendAsync(request).GetAwaiter().GetResult();
        return Response;
    }

    public void Dispose()
    {
        _app.StopAsync().GetAwaiter().GetResult();
        ((IDisposable)_app).Dispose();
    }

    private async Task EndAfterAsync(Task pipeline)
    {
        await pipeline.ConfigureAwait(false);
        await _response.EndAsync().ConfigureAwait(false);
    }

    private void Reset(BenchRequest request)
    {
        _request.Method = request.Method;
        _request.Path = request.Path;
        _request.RawTarget = request.Path;
        _request.PathBase = string.Empty;
        _request.QueryString = string.Empty;
        _requestHeaders.Reset();
        var headers = _request.Headers;
        headers.Host = Host;
        if (request.Origin is not null)
        {
            headers.Origin = request.Origin;
        }

        if (request.AccessControlRequestMethod is not null)
        {
            headers.AccessControlRequestMethod = request.AccessControlRequestMethod;
        }

        if (request.AccessControlRequestHeaders is not null)
        {
            headers.AccessControlRequestHeaders = request.AccessControlRequestHeaders;
        }

        _response.Reset();
        _routing.Reset();
        _items.Items.Clear();
    }
}
