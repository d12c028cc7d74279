using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace CorsKit.Benchmarks.Infrastructure;

/// <summary>
/// Kestrel's own request and response header collections (internal types of the shared framework, made once by
/// reflection): known headers such as <c>Origin</c> or <c>Access-Control-Allow-Origin</c> live in fields, not in a
/// dictionary, so writing a CORS header costs here what it costs on a real Kestrel server. Falls back to
/// <see cref="HeaderDictionary"/> (slower for every pipeline alike) if a future Kestrel renames them.
/// </summary>
internal sealed class KestrelHeaders
{
    private const string Namespace = "Microsoft.AspNetCore.Server.Kestrel.Core.Internal.Http.";
    private readonly Action _reset;
    private readonly Action? _setReadOnly;

    private KestrelHeaders(IHeaderDictionary headers, Action reset, Action? setReadOnly)
    {
        Headers = headers;
        _reset = reset;
        _setReadOnly = setReadOnly;
    }

    public IHeaderDictionary Headers { get; }

    /// <summary>Whether Kestrel's collections are in use (else the <see cref="HeaderDictionary"/> fallback).</summary>
    public static bool IsKestrel { get; private set; } = true;

    public static KestrelHeaders ForRequest() => Create("HttpRequestHeaders", [true, null]);

    public static KestrelHeaders ForResponse() => Create("HttpResponseHeaders", [null]);

    /// <summary>Clears the headers for the next request, keeping their storage, as Kestrel does.</summary>
    public void Reset() => _reset();

    /// <summary>The response started: the headers are now read-only, as Kestrel makes them.</summary>
    public void SetReadOnly() => _setReadOnly?.Invoke();

    private static KestrelHeaders Create(string typeName, object?[] arguments)
    {
        var type = typeof(KestrelServerOptions).Assembly.GetType(Namespace + typeName);
        var reset = type?.GetMethod("Reset", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, Type.EmptyTypes);
        var setReadOnly = type?.GetMethod("SetReadOnly", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, Type.EmptyTypes);
        if (type is null || reset is null || setReadOnly is null
            || Activator.CreateInstance(type, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, null, arguments, null) is not IHeaderDictionary headers)
        {
            IsKestrel = false;
            var fallback = new HeaderDictionary();
            return new KestrelHeaders(fallback, fallback.Clear, null);
        }

        return new KestrelHeaders(headers, reset.CreateDelegate<Action>(headers), setReadOnly.CreateDelegate<Action>(headers));
    }
}
