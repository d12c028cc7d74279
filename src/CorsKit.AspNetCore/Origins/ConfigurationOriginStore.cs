using System.Runtime.CompilerServices;
using CorsKit.Sources;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;

namespace CorsKit.AspNetCore.Origins;

/// <summary>
/// Origins kept in configuration, followed as it reloads (appsettings.json edited, a key vault refreshed). The section's
/// array entries are the origins of policies without tenants; each named child holds one tenant's origins:
/// <code>"TenantOrigins": { "0": "https://app.example.com", "acme": [ "https://app.acme.com" ] }</code>
/// (in JSON, an array section gives the numbered entries).
/// </summary>
/// <param name="section">The section, for example <c>builder.Configuration.GetSection("TenantOrigins")</c>.</param>
public sealed class ConfigurationOriginStore(IConfiguration section) : IOriginStore
{
    /// <inheritdoc/>
    public async IAsyncEnumerable<TenantOrigins> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        var untenanted = new List<string>();
        foreach (var child in section.GetChildren())
        {
            if (IsIndex(child.Key))
            {
                if (child.Value is { } origin)
                {
                    untenanted.Add(origin);
                }
            }
            else
            {
                yield return new TenantOrigins(child.Key, ValuesOf(child));
            }
        }

        yield return new TenantOrigins(string.Empty, untenanted);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyCollection<string>> ListAsync(string tenant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        IReadOnlyCollection<string> origins = tenant.Length == 0
            ? section.GetChildren().Where(c => IsIndex(c.Key) && c.Value is not null).Select(c => c.Value!).ToList()
            : ValuesOf(section.GetSection(tenant));
        return Task.FromResult(origins);
    }

    /// <inheritdoc/>
    public Task<IAsyncDisposable?> WatchAsync(Action<string?> changed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changed);
        var registration = ChangeToken.OnChange(section.GetReloadToken, () => changed(null));
        return Task.FromResult<IAsyncDisposable?>(new Registration(registration));
    }

    private static List<string> ValuesOf(IConfigurationSection tenant) =>
        tenant.Value is { } single ? [single] : [.. tenant.GetChildren().Select(c => c.Value).OfType<string>()];

    private static bool IsIndex(string key) => key.Length > 0 && key.All(char.IsAsciiDigit);

    private sealed class Registration(IDisposable inner) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            inner.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
