using CorsKit.RealBrowsers.Tests.Infrastructure;

namespace CorsKit.RealBrowsers.Tests.Matrix;

/// <summary>
/// One row of the matrix: a request a page's script makes, and what is meant to happen. <see cref="Path"/> is relative to
/// the API and may hold <c>{page}</c>, <c>{page-port}</c>, <c>{api}</c> and <c>{api-localhost}</c>.
/// </summary>
/// <param name="Name">A unique, readable name (the test case's name).</param>
/// <param name="Page">Where the script runs.</param>
/// <param name="Path">The API path and query.</param>
/// <param name="Expect">The intent, in every engine not named by <see cref="In"/>.</param>
public sealed record Scenario(string Name, PageOrigin Page, string Path, Intent Expect)
{
    /// <summary>The method as the script writes it. Default GET.</summary>
    public string Method { get; init; } = "GET";

    /// <summary>Request headers the script sets, in order. Default none.</summary>
    public IReadOnlyList<(string Name, string Value)> Headers { get; init; } = [];

    /// <summary>The body, or <see langword="null"/> for none.</summary>
    public string? Body { get; init; }

    /// <summary>How the body is built. Default a string.</summary>
    public BodyKind BodyKind { get; init; } = BodyKind.Text;

    /// <summary>The credentials mode (<c>withCredentials</c> for XHR: only Include and SameOrigin). Default same-origin, as fetch's.</summary>
    public CredentialsMode Credentials { get; init; } = CredentialsMode.SameOrigin;

    /// <summary>fetch() or XMLHttpRequest. Default fetch().</summary>
    public RequestInitiator Initiator { get; init; } = RequestInitiator.Fetch;

    /// <summary>XHR only: a listener on <c>xhr.upload</c>, which forces a preflight.</summary>
    public bool UploadListener { get; init; }

    /// <summary>How many times the script sends the request, one after the other (preflight cache). Default once.</summary>
    public int Times { get; init; } = 1;

    /// <summary>Where an engine's own rules make another outcome right (its preflight cache, say): that engine's intent.</summary>
    public IReadOnlyDictionary<BrowserEngine, Intent> EngineIntents { get; init; } = new Dictionary<BrowserEngine, Intent>();

    /// <summary>The intent in <paramref name="engine"/>.</summary>
    /// <param name="engine">The engine.</param>
    public Intent ExpectIn(BrowserEngine engine) => EngineIntents.GetValueOrDefault(engine, Expect);

    /// <summary>This scenario with <paramref name="intent"/> for <paramref name="engine"/>.</summary>
    /// <param name="engine">The engine whose rules differ.</param>
    /// <param name="intent">What is meant to happen there.</param>
    public Scenario In(BrowserEngine engine, Intent intent) =>
        this with { EngineIntents = new Dictionary<BrowserEngine, Intent>(EngineIntents) { [engine] = intent } };

    /// <summary>The request as the browser model takes it.</summary>
    /// <param name="url">The resolved absolute URL.</param>
    /// <param name="origin">The page's serialized origin (<c>null</c> for the sandboxed frame).</param>
    public BrowserRequest ToBrowserRequest(string url, string origin) => new(url, origin)
    {
        Method = Method,
        Headers = [.. Headers.Select(h => new HeaderField(h.Name, h.Value))],
        Credentials = Credentials,
        Initiator = Initiator,
        HasUploadListeners = UploadListener,
    };

    public override string ToString() => Name;
}
