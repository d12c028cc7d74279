using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace CorsKit.Reliability.Tests.Infrastructure;

/// <summary>
/// A real nginx (Debian's package) as a caching reverse proxy in front of an app on 127.0.0.1: its own temporary
/// prefix, configuration, logs and cache; bound to 127.0.0.1; one process (no daemon, no workers) run as the current
/// user; killed by its pid when disposed. The cache follows the app's Cache-Control and, by default, its Vary.
/// </summary>
public sealed class NginxProxy : IAsyncDisposable
{
    private readonly Process _process;

    private NginxProxy(Process process, string prefix, int port)
    {
        _process = process;
        Prefix = prefix;
        BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
    }

    public string Prefix { get; }

    public Uri BaseAddress { get; }

    /// <summary>
    /// Starts nginx in front of <paramref name="upstreamPort"/>. <c>/</c> is cached honouring Vary; <c>/ignore-vary/x</c>
    /// proxies to <c>/x</c> with the same cache told to ignore Vary (<c>proxy_ignore_headers Vary</c>), a control showing
    /// what a cache does when no Vary protects the response.
    /// </summary>
    public static async Task<NginxProxy> StartAsync(int upstreamPort)
    {
        var nginx = RealComponents.Require("nginx", "nginx");
        var prefix = Directory.CreateTempSubdirectory("corskit-nginx-").FullName;
        var port = FreePort();
        var upstream = $"http://127.0.0.1:{upstreamPort.ToString(CultureInfo.InvariantCulture)}";
        await File.WriteAllTextAsync(Path.Combine(prefix, "nginx.conf"), $$"""
            daemon off;
            master_process off;
            pid {{prefix}}/nginx.pid;
            error_log {{prefix}}/error.log warn;
            events { worker_connections 64; }
            http {
                access_log {{prefix}}/access.log;
                client_body_temp_path {{prefix}}/client_body;
                proxy_temp_path {{prefix}}/proxy_temp;
                fastcgi_temp_path {{prefix}}/fastcgi_temp;
                uwsgi_temp_path {{prefix}}/uwsgi_temp;
                scgi_temp_path {{prefix}}/scgi_temp;
                proxy_cache_path {{prefix}}/cache levels=1:2 keys_zone=corskit:1m max_size=16m inactive=5m use_temp_path=off;
                server {
                    listen 127.0.0.1:{{port}};
                    proxy_cache corskit;
                    # The default key: the URL only. Telling origins apart is left to Vary, as in a real shared cache.
                    proxy_cache_key $scheme$proxy_host$request_uri;
                    add_header X-Cache-Status $upstream_cache_status always;
                    location / {
                        proxy_pass {{upstream}};
                    }
                    location /ignore-vary/ {
                        proxy_pass {{upstream}}/;
                        proxy_ignore_headers Vary;
                    }
                }
            }
            """);

        var process = Process.Start(new ProcessStartInfo(nginx)
        {
            ArgumentList = { "-p", prefix + "/", "-c", Path.Combine(prefix, "nginx.conf"), "-e", Path.Combine(prefix, "error.log") },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("nginx did not start");

        var proxy = new NginxProxy(process, prefix, port);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (process.HasExited)
            {
                var log = File.Exists(Path.Combine(prefix, "error.log")) ? await File.ReadAllTextAsync(Path.Combine(prefix, "error.log")) : string.Empty;
                await proxy.DisposeAsync();
                throw new InvalidOperationException($"nginx exited with {process.ExitCode}: {await process.StandardError.ReadToEndAsync()} {log}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return proxy;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        await proxy.DisposeAsync();
        throw new TimeoutException("nginx did not listen within 10 s");
    }

    public string ErrorLog => File.Exists(Path.Combine(Prefix, "error.log")) ? File.ReadAllText(Path.Combine(Prefix, "error.log")) : string.Empty;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(); // by its pid; nginx runs as one process here (master_process off)
        }

        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _process.WaitForExitAsync(wait.Token);
        _process.Dispose();
        Directory.Delete(Prefix, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
