using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CorsKit.Reliability.Tests.Infrastructure;

namespace CorsKit.Redis.Tests.Infrastructure;

/// <summary>
/// A real redis-server (Debian's package) on 127.0.0.1 and a free port, with its own temporary directory, no persistence
/// and keyspace notifications off (Redis's default); killed by its pid when stopped or disposed. It can be stopped and
/// started again on the same port, to test an outage.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private Process? _process;

    private RedisServer(string directory, int port)
    {
        Directory = directory;
        Port = port;
    }

    public string Directory { get; }

    public int Port { get; }

    public string Configuration => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer(System.IO.Directory.CreateTempSubdirectory("corskit-redis-").FullName, FreePort());
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts the server (again) on the same port, empty.</summary>
    public async Task StartAgainAsync()
    {
        var redis = RealComponents.Require("redis-server", "redis-server");
        _process = Process.Start(new ProcessStartInfo(redis)
        {
            ArgumentList = { "--bind", "127.0.0.1", "--port", Port.ToString(CultureInfo.InvariantCulture), "--dir", Directory, "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("redis-server did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with {_process.ExitCode}: {await _process.StandardError.ReadToEndAsync()}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException("redis-server did not listen within 10 s");
    }

    /// <summary>Kills the server by its pid (an outage: no clean shutdown).</summary>
    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill();
        }

        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _process.WaitForExitAsync(wait.Token);
        _process.Dispose();
        _process = null;
    }

    /// <summary>Runs redis-cli against this server, as an ops team would, and returns its output.</summary>
    public async Task<string> CliAsync(params string[] arguments)
    {
        var cli = RealComponents.Require("redis-cli", "redis-tools");
        var start = new ProcessStartInfo(cli) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("redis-cli did not start");
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var output = await process.StandardOutput.ReadToEndAsync(wait.Token);
        await process.WaitForExitAsync(wait.Token);
        Assert.True(process.ExitCode == 0, $"redis-cli {string.Join(' ', arguments)} exited with {process.ExitCode}: {await process.StandardError.ReadToEndAsync(wait.Token)}");
        return output.Trim();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
