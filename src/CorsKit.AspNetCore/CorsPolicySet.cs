using System.Collections.Frozen;
using CorsKit.AspNetCore.Providers;

namespace CorsKit.AspNetCore;

/// <summary>
/// The application's named policies (and providers) and its default, as built from <see cref="CorsKitOptions"/> at one
/// moment: at startup, then at each configuration reload. Immutable, so a request that took one set sees nothing of the
/// next; <see cref="CorsPolicyRegistry"/> holds the current one.
/// </summary>
internal sealed class CorsPolicySet
{
    private CorsPolicySet(FrozenDictionary<string, ResolvedPolicy> named, ResolvedPolicy @default)
    {
        Named = named;
        Default = @default;
    }

    /// <summary>The policies and providers by name.</summary>
    public FrozenDictionary<string, ResolvedPolicy> Named { get; }

    /// <summary>The default policy (or provider); none when no default was set.</summary>
    public ResolvedPolicy Default { get; }

    /// <summary>This set with another default (the one <c>UseCorsKit(...)</c> chose).</summary>
    public CorsPolicySet WithDefault(ResolvedPolicy @default) => new(Named, @default);

    /// <summary>Builds every registration of <paramref name="options"/>.</summary>
    /// <exception cref="Policies.CorsPolicyException">A policy is invalid, or the default names no policy.</exception>
    public static CorsPolicySet Build(CorsKitOptions options, IServiceProvider services)
    {
        var named = new Dictionary<string, ResolvedPolicy>(StringComparer.Ordinal);
        foreach (var (name, create) in options.Registrations)
        {
            named[name] = create(services);
        }

        var frozen = named.ToFrozenDictionary(StringComparer.Ordinal);
        ResolvedPolicy @default = default;
        if (options.DefaultPolicyName is { } defaultName && !frozen.TryGetValue(defaultName, out @default))
        {
            throw new Policies.CorsPolicyException($"the default policy is '{defaultName}', but no policy of that name is registered; add options.AddPolicy(\"{defaultName}\", ...) or set DefaultPolicyName to one of: {string.Join(", ", frozen.Keys)}");
        }

        return new CorsPolicySet(frozen, @default);
    }
}
