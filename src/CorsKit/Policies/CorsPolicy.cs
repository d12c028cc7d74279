using System.Collections.Frozen;
using CorsKit.Origins;
using CorsKit.Sources;

namespace CorsKit.Policies;

/// <summary>
/// An immutable, validated CORS policy. Build one with <see cref="CorsPolicyBuilder"/>; every header value the
/// policy can send is computed once here, so evaluating a request only reads them.
/// </summary>
public sealed class CorsPolicy
{
    internal CorsPolicy(
        string name,
        OriginMatcher origins,
        bool allowAnyOrigin,
        bool allowAnyMethod,
        IReadOnlyList<string> methods,
        bool allowAnyHeader,
        IReadOnlyList<string> headers,
        IReadOnlyList<string> exposedHeaders,
        bool allowCredentials,
        TimeSpan? maxAge,
        bool allowPrivateNetwork,
        int preflightStatusCode,
        bool preflightPassthrough,
        TimeSpan originPredicateTimeout,
        OriginTenant? originTenant = null)
    {
        OriginTenant = originTenant ?? OriginTenant.None;
        Name = name;
        Origins = origins;
        AllowAnyOrigin = allowAnyOrigin;
        AllowAnyMethod = allowAnyMethod;
        Methods = methods;
        MethodSet = methods.ToFrozenSet(StringComparer.Ordinal);
        AllowAnyHeader = allowAnyHeader;
        Headers = headers;
        HeaderSet = headers.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        HeaderLookup = HeaderSet.GetAlternateLookup<ReadOnlySpan<char>>();
        ExposedHeaders = exposedHeaders;
        AllowCredentials = allowCredentials;
        MaxAge = maxAge;
        AllowPrivateNetwork = allowPrivateNetwork;
        PreflightStatusCode = preflightStatusCode;
        PreflightPassthrough = preflightPassthrough;
        OriginPredicateTimeout = originPredicateTimeout;
        PredicateCaller = origins.HasPredicate ? $"the origin predicate of policy '{name}'" : string.Empty;

        AllowMethodsValue = methods.Count == 0 ? null : string.Join(",", methods);
        AllowHeadersValue = headers.Count == 0 ? null : string.Join(",", headers);
        ExposeHeadersValue = exposedHeaders.Count == 0 ? null : string.Join(",", exposedHeaders);
        MaxAgeValue = maxAge is null ? null : ((long)maxAge.Value.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        VariesByOrigin = !(allowAnyOrigin && !allowCredentials);
    }

    /// <summary>The policy's name, used in logs and diagnostics.</summary>
    public string Name { get; }

    /// <summary>Whether every origin is allowed (<c>Access-Control-Allow-Origin: *</c>).</summary>
    public bool AllowAnyOrigin { get; }

    /// <summary>Whether every method is allowed (the requested method is echoed).</summary>
    public bool AllowAnyMethod { get; }

    /// <summary>The allowed methods, beyond the CORS-safelisted GET, HEAD and POST that need no listing.</summary>
    public IReadOnlyList<string> Methods { get; }

    /// <summary>Whether every request header is allowed (the requested names are echoed).</summary>
    public bool AllowAnyHeader { get; }

    /// <summary>The allowed request headers, lower-cased.</summary>
    public IReadOnlyList<string> Headers { get; }

    /// <summary>The response headers script may read beyond the CORS-safelisted ones.</summary>
    public IReadOnlyList<string> ExposedHeaders { get; }

    /// <summary>Whether credentialed requests (cookies, HTTP auth, client certificates) are allowed.</summary>
    public bool AllowCredentials { get; }

    /// <summary>How long a browser may cache the preflight answer; <see langword="null"/> sends no <c>Access-Control-Max-Age</c> (browsers then use 5 s).</summary>
    public TimeSpan? MaxAge { get; }

    /// <summary>Whether <c>Access-Control-Allow-Private-Network: true</c> is sent when a preflight asks for it.</summary>
    public bool AllowPrivateNetwork { get; }

    /// <summary>The status of a preflight answered by CorsKit. Default 204.</summary>
    public int PreflightStatusCode { get; }

    /// <summary>Whether preflights are passed on to the endpoint (with the CORS headers added) instead of answered by CorsKit.</summary>
    public bool PreflightPassthrough { get; }

    /// <summary>
    /// How long an origin predicate may take, from its admission, before the origin is refused (fail closed):
    /// <see cref="CorsPolicyBuilder.WithOriginPredicateTimeout"/>, default <see cref="CorsPolicyBuilder.OriginPredicateTimeout"/> (1 s).
    /// </summary>
    public TimeSpan OriginPredicateTimeout { get; }

    /// <summary>Whether the answer depends on the request's <c>Origin</c>, so responses must carry <c>Vary: Origin</c>.</summary>
    public bool VariesByOrigin { get; }

    /// <summary>
    /// Whether an origin regular expression of this policy runs on .NET's backtracking engine, which
    /// <see cref="CorsPolicyBuilder.AllowBacktrackingOriginRegex"/> allows with a match timeout of
    /// <see cref="CorsPolicyBuilder.BacktrackingRegexMatchTimeout"/> (50 ms): a hostile origin can then cost up to that much
    /// CPU per distinct value. Hosts should log a warning at startup for such a policy. Default <see langword="false"/>.
    /// </summary>
    public bool UsesBacktrackingRegex => Origins.UsesBacktrackingRegex;

    /// <summary>
    /// The source this policy draws origins from beside its own entries (<see cref="CorsPolicyBuilder.WithOriginsFrom"/>),
    /// or <see langword="null"/>.
    /// </summary>
    public OriginSource? OriginSource => Origins.Source;

    /// <summary>How a request's tenant is chosen for <see cref="OriginSource"/>. Default <see cref="OriginTenant.None"/>.</summary>
    public OriginTenant OriginTenant { get; }

    internal OriginMatcher Origins { get; }

    /// <summary>Names the predicate in timeout and bound messages (empty without a predicate).</summary>
    internal string PredicateCaller { get; }

    internal FrozenSet<string> MethodSet { get; }

    internal FrozenSet<string> HeaderSet { get; }

    internal FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> HeaderLookup { get; }

    internal string? AllowMethodsValue { get; }

    internal string? AllowHeadersValue { get; }

    internal string? ExposeHeadersValue { get; }

    internal string? MaxAgeValue { get; }

    /// <summary>A short human description of the allowed origins, for diagnostics.</summary>
    internal string DescribeOrigins()
    {
        if (AllowAnyOrigin)
        {
            return "*";
        }

        var parts = Origins.ExactOrigins.Take(5).Concat(Origins.WildcardPatterns.Take(3)).ToList();
        if (Origins.AllowsNull)
        {
            parts.Add("null");
        }

        if (Origins.Source is { } source)
        {
            parts.Add($"origin source '{source.Name}'");
        }

        var more = Origins.ExactOrigins.Count > 5 || Origins.HasPatterns ? ", ..." : string.Empty;
        return parts.Count == 0 ? "(patterns only)" : string.Join(", ", parts) + more;
    }
}
