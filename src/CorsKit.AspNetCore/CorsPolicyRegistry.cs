using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using CorsKit.AspNetCore.Metadata;
using CorsKit.AspNetCore.Providers;
using CorsKit.Isolation;
using CorsKit.Policies;
using CorsPolicyBuilder = CorsKit.Policies.CorsPolicyBuilder;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MicrosoftCorsPolicy = Microsoft.AspNetCore.Cors.Infrastructure.CorsPolicy;

namespace CorsKit.AspNetCore;

/// <summary>
/// The built policies and the policy providers of the application, and which one applies to an endpoint. Built once at
/// startup: an invalid policy throws <see cref="CorsPolicyException"/> there.
/// </summary>
internal sealed class CorsPolicyRegistry
{
    private readonly FrozenDictionary<string, ResolvedPolicy> _policies;
    private readonly ConditionalWeakTable<MicrosoftCorsPolicy, CorsKit.Policies.CorsPolicy> _converted = [];

    public CorsPolicyRegistry(IOptions<CorsKitOptions> options, IServiceProvider services)
    {
        var value = options.Value;

        // Resolved now, so that an invalid MaxUserCodeCallsInFlight stops the app at startup even without providers.
        Bulkhead = services.GetRequiredService<UserCodeBulkhead>();
        var policies = new Dictionary<string, ResolvedPolicy>(StringComparer.Ordinal);
        foreach (var (name, create) in value.Registrations)
        {
            policies[name] = create(services);
        }

        _policies = policies.ToFrozenDictionary(StringComparer.Ordinal);
        if (value.DefaultPolicyName is { } defaultName)
        {
            Default = _policies.TryGetValue(defaultName, out var policy)
                ? policy
                : throw new CorsPolicyException($"the default policy is '{defaultName}', but no policy of that name is registered; add options.AddPolicy(\"{defaultName}\", ...) or set DefaultPolicyName to one of: {string.Join(", ", _policies.Keys)}");
        }
    }

    /// <summary>
    /// The application's bulkhead (the <see cref="UserCodeBulkhead"/> service): where policy providers run, and where origin
    /// predicates run when the middleware passes it to <see cref="Evaluation.CorsEvaluator.EvaluateAsync(Policies.CorsPolicy, Evaluation.CorsRequest, UserCodeBulkhead, CancellationToken)"/>.
    /// </summary>
    public UserCodeBulkhead Bulkhead { get; }

    /// <summary>The default policy (or provider); none when no default was set. <c>UseCorsKit(name)</c> replaces it at startup.</summary>
    public ResolvedPolicy Default { get; private set; }

    /// <summary>Every <c>UseCorsKit(name)</c> and <c>UseCorsKit(policy => ...)</c> call, wherever in the pipeline it stood.</summary>
    public List<DefaultPolicySelection> Selections { get; } = [];

    /// <summary>
    /// Makes <paramref name="chosen"/> (the call the application itself made; none: keep <see cref="CorsKitOptions.DefaultPolicyName"/>)
    /// the default, once every call is known and before the first request. Another choice, made by a second call or in a
    /// branch, is refused: CorsKit has one default for the whole application.
    /// </summary>
    public void ApplySelections(DefaultPolicySelection? chosen)
    {
        foreach (var selection in Selections)
        {
            if (!selection.Chooses(chosen))
            {
                var other = chosen is null ? "the application itself chose none" : $"the application itself called {chosen.Call}";
                throw new CorsPolicyException(
                    $"{selection.Call} would make its policy the default of the whole application, but {other}: CorsKit runs outermost, for every path, "
                    + "with one default policy; call UseCorsKit(...) with a policy once, on the application (not inside Map, MapWhen or UseWhen), "
                    + "and give the paths that need another policy WithCors(\"name\") (or [EnableCors(\"name\")]) on their endpoints or route group");
            }
        }

        if (chosen is not null)
        {
            Default = chosen.Policy;
        }
    }

    /// <summary>The registered policies (not the providers), by name.</summary>
    public IEnumerable<KeyValuePair<string, CorsKit.Policies.CorsPolicy>> Policies =>
        _policies.Where(p => p.Value.Policy is not null).Select(p => KeyValuePair.Create(p.Key, p.Value.Policy!));

    /// <summary>The registered policy and provider names.</summary>
    public IEnumerable<string> Names => _policies.Keys;

    /// <summary>Whether a policy or a provider is registered under the name.</summary>
    public bool IsRegistered(string name) => _policies.ContainsKey(name);

    /// <summary>
    /// The policy (or provider) for an endpoint; none for no CORS. Resolution order:
    /// 1. the endpoint's most specific CORS metadata (the last added: action over controller, endpoint over group):
    ///    a. CorsKit's WithoutCors / [WithoutCors], or Microsoft's [DisableCors]: no CORS;
    ///    b. CorsKit's WithCors(name) / [WithCors(name)] / WithCors(builder): that policy (or provider);
    ///    c. Microsoft's RequireCors(policy): that policy, translated once;
    ///    d. Microsoft's [EnableCors(name)] / RequireCors(name): the CorsKit policy of that name ([EnableCors] alone: the default);
    /// 2. no CORS metadata (or no endpoint): the default policy;
    /// 3. no default policy: no CORS.
    /// A name that is not registered resolves to no CORS at run time; startup validation refuses it earlier.
    /// </summary>
    public ResolvedPolicy Resolve(Endpoint? endpoint) => MostSpecific(endpoint) switch
    {
        null => Default,
        NoCorsMetadata or WithoutCorsAttribute or IDisableCorsAttribute => default,
        CorsPolicyMetadata { Policy: { } inline } => new ResolvedPolicy(inline),
        CorsPolicyMetadata { PolicyName: { } name } => Named(name),
        WithCorsAttribute attribute => Named(attribute.PolicyName),
        ICorsPolicyMetadata microsoft => new ResolvedPolicy(Converted(microsoft.Policy)),
        IEnableCorsAttribute { PolicyName: { } name } => Named(name),
        _ => Default,
    };

    /// <summary>The policy name an endpoint refers to, if any (for startup validation).</summary>
    public static string? ReferencedName(Endpoint endpoint) => MostSpecific(endpoint) switch
    {
        CorsPolicyMetadata { PolicyName: { } name } => name,
        WithCorsAttribute attribute => attribute.PolicyName,
        IEnableCorsAttribute { PolicyName: { } name } => name,
        _ => null,
    };

    // The last CORS metadata added is the most specific. GetMetadata is cached per type by the collection; only an
    // endpoint carrying both CorsKit's and Microsoft's metadata needs the scan to see which came last.
    private static object? MostSpecific(Endpoint? endpoint)
    {
        if (endpoint is null)
        {
            return null;
        }

        var metadata = endpoint.Metadata;
        object? ours = metadata.GetMetadata<ICorsKitMetadata>();
        object? microsofts = metadata.GetMetadata<ICorsMetadata>();
        if (ours is null || microsofts is null)
        {
            return ours ?? microsofts;
        }

        for (var i = metadata.Count - 1; i >= 0; i--)
        {
            if (metadata[i] is ICorsKitMetadata or ICorsMetadata)
            {
                return metadata[i];
            }
        }

        return null;
    }

    /// <summary>The policy (or provider) registered under the name; none for an unknown name.</summary>
    public ResolvedPolicy Named(string name) => _policies.GetValueOrDefault(name);

    /// <summary>The CorsKit policy of a Microsoft policy given to <c>RequireCors(policy)</c>; refused as a CorsKit policy would be.</summary>
    public CorsKit.Policies.CorsPolicy Converted(MicrosoftCorsPolicy policy) => _converted.GetValue(policy, static p => Convert(p, "RequireCors(policy)"));

    /// <summary>
    /// The CorsKit policy of a Microsoft policy object (from <c>RequireCors(policy)</c> or
    /// <see cref="CorsKitOptions.AddPolicy(string, MicrosoftCorsPolicy)"/>). Microsoft's policy keeps its own origin test
    /// (IsOriginAllowed: exact entries, or wildcard subdomains when it was told so, or the app's own test), so it becomes a
    /// predicate. Its entries still pass CorsKit's checks (a public-suffix wildcard, null with credentials, a trailing
    /// slash), and with credentials its test must not allow an origin nobody listed: a refused entry stops the app at
    /// startup, as a CorsKit policy's would.
    /// </summary>
    internal static CorsKit.Policies.CorsPolicy Convert(MicrosoftCorsPolicy source, string name)
    {
        var builder = new CorsPolicyBuilder(name);
        if (source.AllowAnyOrigin)
        {
            builder.AllowAnyOrigin();
        }
        else
        {
            if (source.Origins.Count > 0)
            {
                var entries = new CorsPolicyBuilder(name).WithOrigins([.. source.Origins]).SetIsOriginAllowedToAllowWildcardSubdomains();
                (source.SupportsCredentials ? entries.AllowCredentials() : entries).Build();
            }

            // With credentials, Build() refuses a test that allows an origin nobody listed.
            builder.WithOriginPredicate(source.IsOriginAllowed);
        }

        if (source.AllowAnyMethod)
        {
            builder.AllowAnyMethod();
        }
        else
        {
            builder.WithMethods([.. source.Methods]);
        }

        if (source.AllowAnyHeader)
        {
            builder.AllowAnyHeader();
        }
        else
        {
            builder.WithHeaders([.. source.Headers]);
        }

        builder.WithExposedHeaders([.. source.ExposedHeaders]);
        if (source.SupportsCredentials)
        {
            builder.AllowCredentials();
        }

        if (source.PreflightMaxAge is { } maxAge)
        {
            builder.WithMaxAge(TimeSpan.FromSeconds(Math.Floor(maxAge.TotalSeconds)));
        }

        return builder.Build();
    }
}
