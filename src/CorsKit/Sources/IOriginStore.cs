namespace CorsKit.Sources;

/// <summary>
/// Where an <see cref="OriginSource"/> reads its origins from: an app's own database, its configuration, Redis. The source
/// keeps a local copy and answers requests from it, so a store is read only when the copy is loaded or refreshed, never
/// while a request waits. Implementations return entries as stored: the source validates and normalises each one.
/// </summary>
public interface IOriginStore
{
    /// <summary>Every tenant with its origins (the tenant <c>""</c> holds the origins of policies without tenants).</summary>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The whole contents; an exception, at any point, leaves the source's copy as it was.</returns>
    IAsyncEnumerable<TenantOrigins> ListAsync(CancellationToken cancellationToken);

    /// <summary>The origins of one tenant; empty when the tenant has none.</summary>
    /// <param name="tenant">The tenant (<c>""</c> for policies without tenants).</param>
    /// <param name="cancellationToken">Stops the read.</param>
    Task<IReadOnlyCollection<string>> ListAsync(string tenant, CancellationToken cancellationToken);

    /// <summary>
    /// Optional: calls <paramref name="changed"/> whenever the origins change, with the tenant that changed, or
    /// <see langword="null"/> when any may have (the source then reloads everything). A store without notifications
    /// returns <see langword="null"/> (the default) and is read again every <see cref="OriginSourceOptions.ResyncInterval"/>.
    /// </summary>
    /// <param name="changed">What to call; it returns at once (the reload happens later, on the source's own loop).</param>
    /// <param name="cancellationToken">Stops the subscribing.</param>
    /// <returns>What ends the subscription, or <see langword="null"/> without notifications.</returns>
    Task<IAsyncDisposable?> WatchAsync(Action<string?> changed, CancellationToken cancellationToken) => Task.FromResult<IAsyncDisposable?>(null);
}
