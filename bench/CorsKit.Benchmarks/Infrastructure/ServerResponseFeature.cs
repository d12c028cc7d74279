using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace CorsKit.Benchmarks.Infrastructure;

/// <summary>
/// The response side of a server, kept for the whole "connection" and reset between requests as Kestrel resets its
/// <c>HttpProtocol</c>: headers cleared (capacity kept), status 200, the OnStarting/OnCompleted stacks cleared (Kestrel
/// keeps its stacks too). OnStarting callbacks run in reverse order when the response starts, as in Kestrel: on
/// <see cref="StartAsync"/> or, for a response that wrote nothing, when the request ends. The body goes nowhere.
/// </summary>
internal sealed class ServerResponseFeature : IHttpResponseFeature, IHttpResponseBodyFeature
{
    private readonly Stack<KeyValuePair<Func<object, Task>, object>> _onStarting = new();
    private readonly Stack<KeyValuePair<Func<object, Task>, object>> _onCompleted = new();
    private readonly KestrelHeaders _headers = KestrelHeaders.ForResponse();

    public int StatusCode { get; set; } = StatusCodes.Status200OK;

    public string? ReasonPhrase { get; set; }

    public IHeaderDictionary Headers
    {
        get => _headers.Headers;
        set => throw new NotSupportedException("the benchmark server keeps its header collection");
    }

    [Obsolete("Use IHttpResponseBodyFeature.Stream.")]
    public Stream Body { get; set; } = Stream.Null;

    public bool HasStarted { get; private set; }

    public Stream Stream => Stream.Null;

    public PipeWriter Writer { get; } = PipeWriter.Create(Stream.Null);

    public void OnStarting(Func<object, Task> callback, object state) => _onStarting.Push(new(callback, state));

    public void OnCompleted(Func<object, Task> callback, object state) => _onCompleted.Push(new(callback, state));

    public void Reset()
    {
        StatusCode = StatusCodes.Status200OK;
        ReasonPhrase = null;
        _headers.Reset();
        HasStarted = false;
        _onStarting.Clear();
        _onCompleted.Clear();
    }

    public Task StartAsync(CancellationToken cancellationToken = default) => HasStarted ? Task.CompletedTask : FireAsync(_onStarting, started: true);

    /// <summary>The request ended: start the response if nothing did, then run the OnCompleted callbacks.</summary>
    public Task EndAsync()
    {
        var start = StartAsync();
        if (!start.IsCompletedSuccessfully)
        {
            return EndSlowAsync(start);
        }

        return _onCompleted.Count == 0 ? Task.CompletedTask : FireAsync(_onCompleted, started: false);
    }

    public void DisableBuffering()
    {
    }

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task CompleteAsync() => StartAsync();

    private async Task EndSlowAsync(Task start)
    {
        await start.ConfigureAwait(false);
        await FireAsync(_onCompleted, started: false).ConfigureAwait(false);
    }

    private Task FireAsync(Stack<KeyValuePair<Func<object, Task>, object>> callbacks, bool started)
    {
        while (callbacks.TryPop(out var entry))
        {
            var task = entry.Key(entry.Value);
            if (!task.IsCompletedSuccessfully)
            {
                return FireSlowAsync(task, callbacks, started);
            }
        }

        Started(started);
        return Task.CompletedTask;
    }

    private async Task FireSlowAsync(Task pending, Stack<KeyValuePair<Func<object, Task>, object>> callbacks, bool started)
    {
        await pending.ConfigureAwait(false);
        while (callbacks.TryPop(out var entry))
        {
            await entry.Key(entry.Value).ConfigureAwait(false);
        }

        Started(started);
    }

    // After the OnStarting callbacks, the headers go out: Kestrel makes them read-only then.
    private void Started(bool started)
    {
        if (started)
        {
            HasStarted = true;
            _headers.SetReadOnly();
        }
    }
}
