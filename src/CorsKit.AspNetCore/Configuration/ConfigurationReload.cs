using CorsKit.Policies;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace CorsKit.AspNetCore.Configuration;

/// <summary>
/// Follows configuration reloads (<c>reloadOnChange</c>: an edited appsettings.json, an updated Kubernetes ConfigMap):
/// when the configuration <c>AddCorsKit(section)</c> reads changes, every policy is built again from it, checked, and
/// the new set replaces the old one whole (<see cref="CorsPolicyRegistry.Replace"/>). An edit that fails is refused: the
/// last valid policies stay, the refusal is logged once with its fix, and <see cref="Refusal"/> reports it to the health
/// check until a valid edit follows.
/// </summary>
internal sealed class ConfigurationReload : IDisposable
{
    private readonly CorsPolicyRegistry _registry;
    private readonly IOptionsFactory<CorsKitOptions> _factory;
    private readonly IServiceProvider _services;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly List<IDisposable> _subscriptions = [];
    private readonly IReadOnlyList<IConfiguration> _sections;
    private readonly Lock _gate = new();
    private ReloadRefusal? _refusal;
    private string _lastRead;

    public ConfigurationReload(
        CorsPolicyRegistry registry,
        IOptionsFactory<CorsKitOptions> factory,
        IEnumerable<CorsKitConfigurationSection> sections,
        IServiceProvider services,
        ILogger<CorsKitMiddleware> logger,
        TimeProvider time)
    {
        _registry = registry;
        _factory = factory;
        _services = services;
        _logger = logger;
        _time = time;
        _sections = [.. sections.Select(s => s.Section)];
        _lastRead = Read();
        foreach (var section in _sections)
        {
            _subscriptions.Add(ChangeToken.OnChange(section.GetReloadToken, Reload));
        }
    }

    /// <summary>The last edit refused, while no valid edit has followed it; <see langword="null"/> when the policies are the configured ones.</summary>
    public ReloadRefusal? Refusal => Volatile.Read(ref _refusal);

    /// <summary>Builds the policies from the configuration as it is now and, if they are valid, makes them current.</summary>
    public void Reload()
    {
        // One save can raise several change notifications (one per configuration provider, two from some file watchers):
        // they run one after the other, and only one that brings a change to CorsKit's sections builds anything.
        lock (_gate)
        {
            var read = Read();
            if (read == _lastRead)
            {
                return;
            }

            _lastRead = read;
            CorsPolicySet next;
            try
            {
                next = _registry.WithChosenDefault(CorsPolicySet.Build(_factory.Create(Options.DefaultName), _services));
                CheckAgainst(_registry.Current, next);
            }
#pragma warning disable CA1031 // Runs on the configuration watcher's thread: any exception escaping it would end the process.
            catch (Exception refused)
#pragma warning restore CA1031
            {
                Volatile.Write(ref _refusal, new ReloadRefusal(refused.Message, _time.GetUtcNow()));
                Log.ConfigurationReloadRefused(_logger, refused.Message);
                return;
            }

            _registry.Replace(next);
            Volatile.Write(ref _refusal, null);
            Log.ConfigurationReloaded(_logger, string.Join(", ", next.Named.Keys));
            foreach (var (name, policy) in CorsPolicyRegistry.PoliciesOf(next).Where(p => p.Value.UsesBacktrackingRegex))
            {
                Log.BacktrackingRegexAccepted(_logger, name, CorsPolicyBuilder.BacktrackingRegexMatchTimeout.TotalMilliseconds);
            }
        }
    }

    // Every key and value of CorsKit's sections, as read now.
    private string Read() => string.Join('\n', _sections.Select(section => string.Join('\n', section.AsEnumerable()
        .OrderBy(p => p.Key, StringComparer.Ordinal)
        .Select(p => p.Key + "=" + p.Value))));

    public void Dispose()
    {
        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }
    }

    // What routing settled at startup cannot change without a restart: the names endpoints use must stay registered, and
    // whether a policy passes preflights to the endpoint decides where routing sends them.
    private void CheckAgainst(CorsPolicySet current, CorsPolicySet next)
    {
        foreach (var endpoint in _services.GetService<EndpointDataSource>()?.Endpoints ?? [])
        {
            if (CorsPolicyRegistry.ReferencedName(endpoint) is { } name && !next.Named.ContainsKey(name))
            {
                throw new CorsPolicyException($"endpoint '{endpoint.DisplayName}' uses CORS policy '{name}', which the edited configuration no longer has; put the policy back (registered now: {string.Join(", ", next.Named.Keys)})");
            }
        }

        foreach (var name in _registry.WebSocketPolicyNames.Where(n => !next.Named.ContainsKey(n)))
        {
            throw new CorsPolicyException($"UseWebSocketOrigins(\"{name}\") uses CORS policy '{name}', which the edited configuration no longer has; put the policy back (registered now: {string.Join(", ", next.Named.Keys)})");
        }

        foreach (var (name, resolved) in next.Named)
        {
            if (current.Named.TryGetValue(name, out var old) && old.Policy is { } was && resolved.Policy is { } now && now.PreflightPassthrough != was.PreflightPassthrough)
            {
                throw new CorsPolicyException(name, [$"PassPreflightToEndpoint changed from {was.PreflightPassthrough} to {now.PreflightPassthrough}; preflight routing is built at startup, so this change needs a restart (or undo the edit)"]);
            }
        }

        if (current.Default.Policy?.PreflightPassthrough is { } defaultWas && next.Default.Policy is { } defaultNow && defaultNow.PreflightPassthrough != defaultWas)
        {
            throw new CorsPolicyException($"the default policy's PassPreflightToEndpoint changed from {defaultWas} to {defaultNow.PreflightPassthrough}; preflight routing is built at startup, so this change needs a restart (or undo the edit)");
        }
    }
}
