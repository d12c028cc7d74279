using CorsKit.Http;
using CorsKit.Origins;
using CorsKit.Sources;

namespace CorsKit.Policies;

/// <summary>
/// Builds a <see cref="CorsPolicy"/>. <see cref="Build"/> refuses configurations that are invalid or insecure,
/// naming each bad entry and the fix.
/// </summary>
public sealed class CorsPolicyBuilder
{
    /// <summary>
    /// How long one origin regular expression may run before the match is abandoned (and the origin refused): 1 second.
    /// Patterns run on the linear-time engine, so this is a backstop; a shorter wall-clock bound refused genuine origins on
    /// a loaded machine.
    /// </summary>
    public static readonly TimeSpan RegexMatchTimeout = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The match timeout of origin regular expressions that need the backtracking engine, once
    /// <see cref="AllowBacktrackingOriginRegex"/> allows them: 50 ms, which bounds the CPU a hostile origin can cost.
    /// </summary>
    public static readonly TimeSpan BacktrackingRegexMatchTimeout = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// The default of <see cref="WithOriginPredicateTimeout"/>: 1 second. The middleware (through
    /// <see cref="Evaluation.CorsEvaluator.EvaluateAsync(CorsPolicy, Evaluation.CorsRequest, Isolation.UserCodeBulkhead, CancellationToken)"/>)
    /// runs an origin predicate on a thread of CorsKit's own and waits for it at most this long from its admission, then
    /// refuses the origin (fail closed) and logs the error. .NET cannot stop synchronous code, so a predicate that hangs
    /// keeps its thread until it returns; the request does not wait for it.
    /// </summary>
    public static readonly TimeSpan OriginPredicateTimeout = TimeSpan.FromSeconds(1);

    private static readonly string[] NormalisedMethods = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"];

    private readonly List<string> _origins = [];
    private readonly List<string> _originRegexes = [];
    private readonly List<string> _methods = [];
    private readonly List<string> _headers = [];
    private readonly List<string> _exposedHeaders = [];
    private Func<string, bool>? _originPredicate;
    private bool _predicateReplacesList;
    private bool _wildcardSubdomains;
    private bool _anyOrigin;
    private bool _anyMethod;
    private bool _anyHeader;
    private bool _credentials;
    private TimeSpan? _maxAge;
    private bool _privateNetwork;
    private int _preflightStatus = 204;
    private bool _preflightPassthrough;
    private TimeSpan _originPredicateTimeout = OriginPredicateTimeout;
    private bool _backtrackingRegex;
    private OriginSource? _originSource;
    private OriginTenant _originTenant = OriginTenant.None;

    /// <summary>Creates a builder for a policy called <paramref name="name"/>.</summary>
    /// <param name="name">The policy's name, used in messages and logs. Default <c>default</c>.</param>
    public CorsPolicyBuilder(string name = "default")
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
    }

    /// <summary>The name of the policy being built.</summary>
    public string Name { get; }

    /// <summary>
    /// Allows origins. Each entry is an exact origin (<c>https://app.example.com</c>, normalised: case, default port, IDN),
    /// a wildcard subdomain (<c>https://*.example.com</c>: any depth, never the apex; accepted only together with
    /// <see cref="SetIsOriginAllowedToAllowWildcardSubdomains"/>, refused on a public suffix such as <c>https://*.co.uk</c>
    /// or <c>https://*.github.io</c>), <c>null</c> for opaque origins (refused with credentials), or <c>*</c> for any
    /// origin. A host ending with a dot is refused.
    /// </summary>
    /// <param name="origins">The entries.</param>
    public CorsPolicyBuilder WithOrigins(params string[] origins)
    {
        ArgumentNullException.ThrowIfNull(origins);
        foreach (var origin in origins)
        {
            if (origin == "*")
            {
                _anyOrigin = true;
            }
            else
            {
                _origins.Add(origin);
            }
        }

        return this;
    }

    /// <summary>Allows any origin: <c>Access-Control-Allow-Origin: *</c>. Refused together with credentials.</summary>
    public CorsPolicyBuilder AllowAnyOrigin()
    {
        _anyOrigin = true;
        return this;
    }

    /// <summary>
    /// Allows origins matching a .NET regular expression. The expression is always matched against the whole
    /// serialized origin (it is anchored for you), on the linear-time engine, with a 1 s timeout; escape dots (<c>\.</c>).
    /// <see cref="Build"/> refuses a pattern with an unescaped host dot, one that matches any host (tried on
    /// <c>https://corskit-probe.invalid</c>), every site under a public suffix (<c>https://.*\.co\.uk</c>) or a lookalike of
    /// the origin it names (<c>https://app\.example\.com.*</c> matches <c>https://app.example.com.corskit-probe.invalid</c>),
    /// and one that needs the backtracking engine (lookarounds, backreferences) unless
    /// <see cref="AllowBacktrackingOriginRegex"/> is called.
    /// </summary>
    /// <param name="patterns">The expressions, such as <c>https://app-[0-9]+\.example\.com</c>.</param>
    public CorsPolicyBuilder WithOriginRegex(params string[] patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        _originRegexes.AddRange(patterns);
        return this;
    }

    /// <summary>
    /// Allows origins for which <paramref name="predicate"/> returns <see langword="true"/>. It receives only values shaped
    /// like a serialized origin, and only when no other entry matched; if it throws, the origin is refused (fail closed) and the
    /// error logged. The middleware runs it on a thread of CorsKit's own (never a thread-pool thread) and waits at most
    /// <see cref="WithOriginPredicateTimeout"/> (default 1 s), so a predicate that hangs or blocks cannot hold the request
    /// nor starve others; keep it fast and in memory all the same.
    /// </summary>
    /// <param name="predicate">The test.</param>
    public CorsPolicyBuilder WithOriginPredicate(Func<string, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        _originPredicate = predicate;
        return this;
    }

    /// <summary>
    /// Allows, beside the policy's own entries, the origins of <paramref name="source"/>: origins that change while the app
    /// runs (a database, configuration, Redis), checked against the source's local copy without waiting on its store.
    /// With <paramref name="tenant"/>, a request is checked against its tenant's origins only (chosen by a route value or
    /// the host). Entries are validated and normalised as exact origins of <see cref="WithOrigins"/> are; an invalid one is
    /// refused and logged. While the source cannot vouch for its copy (not loaded yet, or stale past
    /// <see cref="OriginSourceOptions.MaxStaleness"/>) its origins are refused; the policy's own entries still apply.
    /// </summary>
    /// <param name="source">The source.</param>
    /// <param name="tenant">How the tenant is chosen. Default <see cref="OriginTenant.None"/>.</param>
    public CorsPolicyBuilder WithOriginsFrom(OriginSource source, OriginTenant? tenant = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        _originSource = source;
        _originTenant = tenant ?? OriginTenant.None;
        return this;
    }

    /// <summary>
    /// Microsoft's name, kept for code moving from Microsoft.AspNetCore.Cors: allows origins for which
    /// <paramref name="isOriginAllowed"/> returns <see langword="true"/>, as <see cref="WithOriginPredicate"/> does (same
    /// thread, timeout and fail-closed rules). As in Microsoft's CORS the function is then the whole origin test, so
    /// <see cref="Build"/> refuses it beside <see cref="WithOrigins"/> entries (Microsoft would ignore them; CorsKit would
    /// allow them too): let the function allow them, or call <see cref="WithOriginPredicate"/> to allow both.
    /// </summary>
    /// <param name="isOriginAllowed">The test.</param>
    public CorsPolicyBuilder SetIsOriginAllowed(Func<string, bool> isOriginAllowed)
    {
        WithOriginPredicate(isOriginAllowed);
        _predicateReplacesList = true;
        return this;
    }

    /// <summary>
    /// Lets the wildcard entries of <see cref="WithOrigins"/> (<c>https://*.example.com</c>) match subdomains, at any
    /// depth, with the same scheme and port, never the apex; the name and meaning are Microsoft's. Without this call
    /// <see cref="Build"/> refuses a wildcard entry, which Microsoft's CORS would treat as an origin that never matches.
    /// </summary>
    public CorsPolicyBuilder SetIsOriginAllowedToAllowWildcardSubdomains()
    {
        _wildcardSubdomains = true;
        return this;
    }

    /// <summary>
    /// How long the origin predicate may take before the origin is refused (fail closed) and the error logged. Default
    /// <see cref="OriginPredicateTimeout"/> (1 s); more than zero and at most <see cref="Isolation.UserCodeBulkhead.MaxBudget"/> (1 minute).
    /// </summary>
    /// <param name="timeout">The budget, counted from when the predicate is admitted to run.</param>
    public CorsPolicyBuilder WithOriginPredicateTimeout(TimeSpan timeout)
    {
        _originPredicateTimeout = timeout;
        return this;
    }

    /// <summary>Allows methods (case-sensitive, as browsers compare them; DELETE, GET, HEAD, OPTIONS, POST and PUT are upper-cased). <c>*</c> allows any.</summary>
    /// <param name="methods">The methods.</param>
    public CorsPolicyBuilder WithMethods(params string[] methods)
    {
        ArgumentNullException.ThrowIfNull(methods);
        foreach (var method in methods)
        {
            if (method == "*")
            {
                _anyMethod = true;
            }
            else
            {
                var upper = method.ToUpperInvariant();
                _methods.Add(Array.IndexOf(NormalisedMethods, upper) >= 0 ? upper : method);
            }
        }

        return this;
    }

    /// <summary>Allows any method: the preflight's requested method is echoed back.</summary>
    public CorsPolicyBuilder AllowAnyMethod()
    {
        _anyMethod = true;
        return this;
    }

    /// <summary>Allows request headers (case-insensitive). <c>*</c> allows any.</summary>
    /// <param name="headers">The header names.</param>
    public CorsPolicyBuilder WithHeaders(params string[] headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        foreach (var header in headers)
        {
            if (header == "*")
            {
                _anyHeader = true;
            }
            else
            {
                _headers.Add(header.ToLowerInvariant());
            }
        }

        return this;
    }

    /// <summary>Allows any request header: the preflight's requested names are echoed back (so <c>Authorization</c> works too).</summary>
    public CorsPolicyBuilder AllowAnyHeader()
    {
        _anyHeader = true;
        return this;
    }

    /// <summary>Lets script read these response headers (<c>Access-Control-Expose-Headers</c>).</summary>
    /// <param name="headers">The header names.</param>
    public CorsPolicyBuilder WithExposedHeaders(params string[] headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        _exposedHeaders.AddRange(headers);
        return this;
    }

    /// <summary>Allows credentialed requests: <c>Access-Control-Allow-Credentials: true</c>. Refused with any origin and with <c>null</c>.</summary>
    public CorsPolicyBuilder AllowCredentials()
    {
        _credentials = true;
        return this;
    }

    /// <summary>Refuses credentialed requests (the default): no <c>Access-Control-Allow-Credentials</c>. Undoes <see cref="AllowCredentials"/>.</summary>
    public CorsPolicyBuilder DisallowCredentials()
    {
        _credentials = false;
        return this;
    }

    /// <summary>Lets browsers cache the preflight answer (<c>Access-Control-Max-Age</c>, whole seconds; Chromium caps at 7200 s).</summary>
    /// <param name="maxAge">How long.</param>
    public CorsPolicyBuilder WithMaxAge(TimeSpan maxAge)
    {
        _maxAge = maxAge;
        return this;
    }

    /// <summary>Microsoft's name for <see cref="WithMaxAge"/>, kept for code moving from Microsoft.AspNetCore.Cors.</summary>
    /// <param name="preflightMaxAge">How long; zero or more whole seconds.</param>
    public CorsPolicyBuilder SetPreflightMaxAge(TimeSpan preflightMaxAge) => WithMaxAge(preflightMaxAge);

    /// <summary>
    /// Answers <c>Access-Control-Request-Private-Network: true</c> with <c>Access-Control-Allow-Private-Network: true</c>.
    /// For older Chromium only: the Private Network Access preflight was abandoned in favour of a permission prompt.
    /// </summary>
    public CorsPolicyBuilder AllowPrivateNetwork()
    {
        _privateNetwork = true;
        return this;
    }

    /// <summary>The status of preflights CorsKit answers. Default 204; must be 200-299 (browsers fail any other).</summary>
    /// <param name="statusCode">The status code.</param>
    public CorsPolicyBuilder WithPreflightStatus(int statusCode)
    {
        _preflightStatus = statusCode;
        return this;
    }

    /// <summary>
    /// Accepts origin regular expressions that need .NET's backtracking engine (lookarounds, backreferences, atomic groups,
    /// conditionals), which <see cref="Build"/> otherwise refuses. They run apart from the others, with a match timeout of
    /// <see cref="BacktrackingRegexMatchTimeout"/> (50 ms) instead of 1 s: each distinct hostile origin can still cost up to
    /// that much CPU. The policy's <see cref="CorsPolicy.UsesBacktrackingRegex"/> is then <see langword="true"/>, for the
    /// host to log a warning at startup. Prefer rewriting the pattern, or <see cref="WithOriginPredicate"/>. Default: refused.
    /// </summary>
    public CorsPolicyBuilder AllowBacktrackingOriginRegex()
    {
        _backtrackingRegex = true;
        return this;
    }

    /// <summary>Passes preflights on to the endpoint (with the CORS headers added) instead of answering them. Default: answered.</summary>
    public CorsPolicyBuilder PassPreflightToEndpoint()
    {
        _preflightPassthrough = true;
        return this;
    }

    /// <summary>Validates the configuration and builds the immutable policy.</summary>
    /// <exception cref="CorsPolicyException">The configuration is invalid or insecure; the message names each entry and the fix.</exception>
    public CorsPolicy Build()
    {
        var problems = new List<string>();
        var exact = new List<string>();
        var wildcards = new List<WildcardOrigin>();
        var allowNull = false;

        foreach (var entry in _origins)
        {
            if (entry == Origin.Null)
            {
                allowNull = true;
            }
            else if (Origin.TryParse(entry, out var dotted, out _) && dotted.Host.EndsWith('.'))
            {
                problems.Add(WildcardOrigin.TrailingDot(entry, dotted));
            }
            else if (WildcardOrigin.IsWildcardEntry(entry))
            {
                var wildcard = WildcardOrigin.TryParse(entry, out var error);
                if (wildcard is null)
                {
                    problems.Add(error!);
                }
                else if (!_wildcardSubdomains)
                {
                    problems.Add($"\"{entry}\" is a wildcard entry, which matches subdomains only after SetIsOriginAllowedToAllowWildcardSubdomains() "
                        + "(without that call Microsoft's CORS treats it as one origin that never matches); add the call, or list the origins");
                }
                else
                {
                    wildcards.Add(wildcard);
                }
            }
            else if (Origin.TryParse(entry, out var origin, out var error))
            {
                exact.Add(origin.Serialized);
            }
            else
            {
                problems.Add(error);
            }
        }

        if (allowNull && _credentials)
        {
            problems.Add("\"null\" (the opaque origin) together with credentials lets every sandboxed iframe and data: page, on any site, send credentialed requests and read the answers, since all of them send Origin: null; "
                + "drop AllowCredentials() (without credentials \"null\" stays allowed, to serve a sandboxed page), "
                + "or give the sandboxed page a real origin (sandbox=\"allow-scripts allow-same-origin\") and list that origin instead");
        }

        var regexes = OriginRegexEntries.Build(_originRegexes, _credentials, _backtrackingRegex, problems);

        // Counted as written: an entry that failed to parse is already reported above, and is not "no origin".
        if (!_anyOrigin && _origins.Count == 0 && _originRegexes.Count == 0 && _originPredicate is null && _originSource is null)
        {
            problems.Add("it allows no origin; add WithOrigins(\"https://app.example.com\") (or AllowAnyOrigin() for a public API without credentials)");
        }

        if (_predicateReplacesList && _origins.Count > 0)
        {
            problems.Add("SetIsOriginAllowed(...) is the whole origin test in Microsoft's CORS, which then ignores the WithOrigins(...) entries, while CorsKit would allow them as well; "
                + "let the function allow those origins and drop WithOrigins(...), or call WithOriginPredicate(...) instead to allow both");
        }

        if (_credentials && _originPredicate is not null && AllowsUnlistedOrigin(_originPredicate))
        {
            problems.Add($"its origin test allows \"{ProbeOrigin}\", an origin nobody lists, so with credentials every site could read credentialed responses; "
                + "make the function allow only trusted origins (or list them with WithOrigins(...)), or drop AllowCredentials()");
        }

        if (_anyOrigin && _credentials)
        {
            problems.Add("'*' (any origin) together with credentials is refused by browsers and would expose credentialed responses to every site; list the trusted origins with WithOrigins(...), or drop AllowCredentials()");
        }

        if (_anyOrigin && (exact.Count > 0 || wildcards.Count > 0 || _originRegexes.Count > 0 || _originPredicate is not null || _originSource is not null))
        {
            problems.Add("'*' (any origin) makes the other origin entries meaningless; keep either '*' or the list");
        }

        // Microsoft's CORS reads "any" only when it is the whole list, so there the outcome of both depends on the order of
        // the calls (AllowAnyMethod() clears the list; a later WithMethods(...) makes "*" a name that never matches).
        CheckAnyBesideList(_anyMethod, _methods, "method", "AllowAnyMethod()", problems);
        CheckAnyBesideList(_anyHeader, _headers, "header", "AllowAnyHeader()", problems);
        CheckTokens(_methods, "method", problems);
        CheckTokens(_headers, "header", problems);
        CheckTokens(_exposedHeaders, "exposed header", problems);

        if (_credentials && _exposedHeaders.Contains("*"))
        {
            problems.Add("exposed header '*' with credentials exposes only a header literally named '*'; list the header names instead");
        }

        if (_maxAge is { } maxAge && (maxAge < TimeSpan.Zero || maxAge.Ticks % TimeSpan.TicksPerSecond != 0))
        {
            problems.Add($"max-age {maxAge} must be zero or more whole seconds");
        }

        if (_preflightStatus is < 200 or > 299)
        {
            problems.Add($"preflight status {_preflightStatus} fails in every browser (a preflight needs 200-299); use 204 (the default) or 200");
        }

        if (_originPredicateTimeout <= TimeSpan.Zero || _originPredicateTimeout > Isolation.UserCodeBulkhead.MaxBudget)
        {
            problems.Add($"origin predicate timeout {_originPredicateTimeout} must be more than zero and at most {Isolation.UserCodeBulkhead.MaxBudget}; keep the default (1 s) unless the predicate needs longer");
        }

        if (problems.Count > 0)
        {
            throw new CorsPolicyException(Name, problems);
        }

        return new CorsPolicy(
            Name,
            new OriginMatcher(exact, allowNull, wildcards, regexes, _originPredicate, _originSource, _originTenant.Kind != OriginTenantKind.None),
            _anyOrigin,
            _anyMethod,
            _methods.Distinct(StringComparer.Ordinal).ToArray(),
            _anyHeader,
            _headers.Distinct(StringComparer.Ordinal).ToArray(),
            _exposedHeaders.Distinct(StringComparer.OrdinalIgnoreCase).ToArray(),
            _credentials,
            _maxAge,
            _privateNetwork,
            _preflightStatus,
            _preflightPassthrough,
            _originPredicateTimeout,
            _originTenant);
    }

    // An origin no one lists: an origin test that allows it allows any origin. A test that throws allows nothing (fail closed).
    private const string ProbeOrigin = OriginRegexProbes.ProbeOrigin;

    private static bool AllowsUnlistedOrigin(Func<string, bool> predicate)
    {
        try
        {
            return predicate(ProbeOrigin);
        }
#pragma warning disable CA1031 // The app's own code: whatever it throws, the request-time answer is a refusal.
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }

    private static void CheckAnyBesideList(bool any, List<string> listed, string what, string call, List<string> problems)
    {
        if (any && listed.Count > 0)
        {
            problems.Add($"any {what} ({call} or '*') beside listed {what}s ({string.Join(", ", listed)}) is ambiguous: Microsoft's CORS allows only the listed ones or any, "
                + $"depending on the order of the calls; keep either {call} or the list");
        }
    }

    private static void CheckTokens(List<string> values, string what, List<string> problems)
    {
        foreach (var value in values)
        {
            if (value != "*" && !HttpSyntax.IsToken(value))
            {
                problems.Add($"{what} \"{value}\" is not a valid HTTP token (letters, digits and !#$%&'*+-.^_`|~ only; one name per entry, no commas or spaces)");
            }
        }
    }
}
