using System.Runtime.CompilerServices;
using CorsKit.Sources;

namespace CorsKit.Tests.Sources;

/// <summary>A store with nothing in it: the engine tests fill the source's copy themselves.</summary>
internal sealed class EmptyOriginStore : IOriginStore
{
    public async IAsyncEnumerable<TenantOrigins> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask;
        yield break;
    }

    public Task<IReadOnlyCollection<string>> ListAsync(string tenant, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyCollection<string>>([]);
}
