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
/// The built policies and the policy providers of the application, and which one applies to an endpoint. Built at
/// startup (an invalid policy throws <see cref="CorsPolicyException"/> there), and replaced whole when configuration
/// reloads.
/// </summary>
internal sealed class CorsPolicyRegistry
{
    private readonly Snapshot<CorsPolicySet> _set;
    private readonly ConditionalWeakTable<MicrosoftCorsPolicy, CorsKit.Policies.CorsPolicy> _converted = [];

    // The call the application itself made, once the startup filter has applied it: the default across reloads too.
    private DefaultPolicySelection? _chosen;

    public CorsPolicyRegistry(IOptions<CorsKitOptions> options, IServiceProvider services)
    {
        // Resolved now, so that an invalid MaxUserCodeCallsInFlight stops the app at startup even without providers.
        Bulkhead = services.GetRequiredService<UserCodeBulkhead>();
        _set = new Snapshot<CorsPolicySet>(CorsPolicySet.Build(options.Value, services));
    }

    /// <summary>
    /// The application's bulkhead (the <see cref="UserCodeBulkhead"/> service): where policy providers run, and where origin
    /// predicates run when the middleware passes it to <see cref="Evaluation.CorsEvaluator.EvaluateAsync(Policies.CorsPolicy, Evaluation.CorsRequest, UserCodeBulkhead, CancellationToken)"/>.
    /// </summary>
    public UserCodeBulkhead Bulkhead { get; }

    /// <summary>
    /// The policy set now: built at startup, replaced whole when configuration reloads (<see cref="Configuration.ConfigurationReload"/>).
    /// A request takes it once and resolves everything in it.
    /// </summary>
    public CorsPolicySet Current => _set.Current;

    /// <summary>Every <c>UseCorsKit(name)</c> and <c>UseCorsKit(policy => ...)</c> call, wherever in the pipeline it stood.</summary>
    public List<DefaultPolicySelection> Selections { get; } = [];

    /// <summary>The policy names <c>UseWebSocketOrigins(name)</c> looks up on every handshake: a reload must keep them registered.</summary>
    public HashSet<string> WebSocketPolicyNames { get; } = new(StringComparer.Ordinal);

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

        _chosen = chosen;
        Replace(WithChosenDefault(Current));
    }

    /// <summary>
    /// <paramref name="set"/> with the default <c>UseCorsKit(...)</c> chose, if it chose one: a name resolves in that set (so
    /// a reload that edits the policy changes the default with it), an inline policy stays as it was built.
    /// </summary>
    /// <exception cref="CorsPolicyException">The chosen name is not in <paramref name="set"/>.</exception>
    public CorsPolicySet WithChosenDefault(CorsPolicySet set) => _chosen switch
    {
        null => set,
        { PolicyName: { } name } => set.WithDefault(set.Named.TryGetValue(name, out var named)
            ? named
            : throw new CorsPolicyException($"{_chosen.Call} makes '{name}' the default policy, but no policy of that name is registered (registered: {string.Join(", ", set.Named.Keys)})")),
        { Policy: var inline } => set.WithDefault(inline),
    };

    /// <summary>Makes <paramref name="next"/> the policy set of every request that starts from now on.</summary>
    public void Replace(CorsPolicySet next) => _set.Replace(next);

    /// <summary>The default policy (or provider) of the current set; none when no default was set.</summary>
    public ResolvedPolicy Default => Current.Default;

    /// <summary>The registered policies (not the providers) of the current set, by name.</summary>
    public IEnumerable<KeyValuePair<string, CorsKit.Policies.CorsPolicy>> Policies => PoliciesOf(Current);

    /// <summary>The policies (not the providers) of a set, by name.</summary>
    public static IEnumerable<KeyValuePair<string, CorsKit.Policies.CorsPolicy>> PoliciesOf(CorsPolicySet set) =>
        set.Named.Where(p => p.Value.Policy is not null).Select(p => KeyValuePair.Create(p.Key, p.Value.Policy!));

    /// <summary>The registered policy and provider names.</summary>
    public IEnumerable<string> Names => Current.Named.Keys;

    /// <summary>Whether a policy or a provider is registered under the name.</summary>
    public bool IsRegistered(string name) => Current.Named.ContainsKey(name);

    /// <summary>The policy (or provider) for an endpoint in the current set; see <see cref="Resolve(Endpoint?, CorsPolicySet)"/>.</summary>
    public ResolvedPolicy Resolve(Endpoint? endpoint) => Resolve(endpoint, Current);

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
    public ResolvedPolicy Resolve(Endpoint? endpoint, CorsPolicySet set) => MostSpecific(endpoint) switch
    {
        null => set.Default,
        NoCorsMetadata or WithoutCorsAttribute or IDisableCorsAttribute => default,
        CorsPolicyMetadata { Policy: { } inline } => new ResolvedPolicy(inline),
        CorsPolicyMetadata { PolicyName: { } name } => set.Named.GetValueOrDefault(name),
        WithCorsAttribute attribute => set.Named.GetValueOrDefault(attribute.PolicyName),
        ICorsPolicyMetadata microsoft => new ResolvedPolicy(Converted(microsoft.Policy)),
        IEnableCorsAttribute { PolicyName: { } name } => set.Named.GetValueOrDefault(name),
        _ => set.Default,
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

    /// <summary>The policy (or provider) registered under the name in the current set; none for an unknown name.</summary>
    public ResolvedPolicy Named(string name) => Current.Named.GetValueOrDefault(name);

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
