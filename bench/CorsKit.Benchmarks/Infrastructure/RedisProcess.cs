using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace CorsKit.Benchmarks.Infrastructure;

/// <summary>A redis-server of its own for a benchmark process: 127.0.0.1, a free port, no persistence, killed by its pid.</summary>
public sealed class RedisProcess : IDisposable
{
    private readonly Process _process;
    private bool _disposed;

    private RedisProcess(Process process, int port)
    {
        _process = process;
        Configuration = $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
    }

    public string Configuration { get; }

    public static RedisProcess Start()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var server = new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("redis-server is not installed; install it with: sudo apt-get install redis-server");
        var process = Process.Start(new ProcessStartInfo(server)
        {
            ArgumentList = { "--bind", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--save", "", "--appendonly", "no", "--dir", Path.GetTempPath() },
            RedirectStandardOutput = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("redis-server did not start");
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        var redis = new RedisProcess(process, port);

        // A benchmark process may end without its cleanup (an in-process run, a failure): the server goes with it.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => redis.Dispose();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, port);
                return redis;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        redis.Dispose();
        throw new TimeoutException("redis-server did not listen within 10 s");
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }
}
