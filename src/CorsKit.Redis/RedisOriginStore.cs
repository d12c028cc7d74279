using System.Runtime.CompilerServices;
using CorsKit.Sources;
using StackExchange.Redis;

namespace CorsKit.Redis;

/// <summary>
/// Origins kept in Redis sets, one per tenant, for an <see cref="OriginSource"/>:
/// <list type="bullet">
/// <item><c>{prefix}:{source}</c>: the origins of policies without tenants;</item>
/// <item><c>{prefix}:{source}:{tenant}</c>: one tenant's origins (<c>SADD corskit:origins:api:acme https://app.acme.com</c>);</item>
/// <item>channel <c>{prefix}:{source}</c>: a message names the tenant that changed (<c>""</c> for none, <c>*</c> for all),
///   <c>PUBLISH corskit:origins:api acme</c>; where the server sends keyspace notifications for sets
///   (<c>notify-keyspace-events Ks</c>), a bare <c>SADD</c>/<c>SREM</c> is noticed without it.</item>
/// </list>
/// <see cref="AddAsync"/> and <see cref="RemoveAsync"/> validate the origins, then change the set and publish in one
/// transaction. Every instance reads the changed tenant on the message, and everything again every
/// <see cref="OriginSourceOptions.ResyncInterval"/> and when the connection comes back, which heals lost messages.
/// </summary>
public sealed class RedisOriginStore : IOriginStore
{
    /// <summary>The default key prefix: <c>corskit:origins</c>.</summary>
    public const string DefaultKeyPrefix = "corskit:origins";

    /// <summary>The message that says every tenant may have changed.</summary>
    public const string AllTenants = "*";

    private const int BatchSize = 1000;

    private readonly IConnectionMultiplexer _redis;
    private readonly int _database;
    private readonly string _tenantKeyPrefix;

    /// <summary>Reads the origins of source <paramref name="source"/> from <paramref name="redis"/>.</summary>
    /// <param name="redis">The connection; <see cref="ConnectAsync"/> makes one that fails fast while Redis is down.</param>
    /// <param name="source">The source's name: the <see cref="OriginSource.Name"/> it serves, part of every key.</param>
    /// <param name="keyPrefix">The keys' prefix. Default <see cref="DefaultKeyPrefix"/>.</param>
    /// <param name="database">The database number. Default: the connection's.</param>
    public RedisOriginStore(IConnectionMultiplexer redis, string source, string keyPrefix = DefaultKeyPrefix, int database = -1)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentException.ThrowIfNullOrEmpty(keyPrefix);
        _redis = redis;
        _database = database;
        Key = $"{keyPrefix}:{source}";
        _tenantKeyPrefix = Key + ":";
        Channel = Key;
    }

    /// <summary>The key of the untenanted set, which is also the channel's name and the prefix of every tenant's key.</summary>
    public string Key { get; }

    /// <summary>The pub/sub channel on which changes are announced.</summary>
    public string Channel { get; }

    /// <summary>
    /// Connects to Redis for an origin store: a connection that starts even while Redis is down (the source then starts
    /// stale or failed closed), fails commands at once while it is down instead of queuing them (so the source notices),
    /// and reconnects every half second.
    /// </summary>
    /// <param name="configuration">A StackExchange.Redis configuration string, such as <c>127.0.0.1:6379</c>.</param>
    public static Task<ConnectionMultiplexer> ConnectAsync(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ReconnectRetryPolicy = new LinearRetry(500);
        options.ConnectTimeout = 2000;
        options.ClientName ??= "corskit";
        return ConnectionMultiplexer.ConnectAsync(options);
    }

    /// <summary>The key of <paramref name="tenant"/>'s set (<c>""</c>: the untenanted set).</summary>
    /// <param name="tenant">The tenant.</param>
    public string KeyOf(string tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        return tenant.Length == 0 ? Key : _tenantKeyPrefix + tenant;
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<TenantOrigins> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var database = _redis.GetDatabase(_database);
        var keys = new List<RedisKey> { Key };
        var pattern = EscapeGlob(_tenantKeyPrefix) + "*";
        foreach (var server in _redis.GetServers().Where(s => !s.IsReplica))
        {
            if (!server.IsConnected)
            {
                throw new RedisException($"Redis at {server.EndPoint} is not connected");
            }

            await foreach (var key in server.KeysAsync(database.Database, pattern, pageSize: BatchSize).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                keys.Add(key);
            }
        }

        // Read in batches (one round trip per thousand tenants); any failure ends the read, so the source keeps its copy.
        foreach (var chunk in keys.Distinct().Chunk(BatchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = database.CreateBatch();
            var reads = chunk.Select(k => batch.SetMembersAsync(k)).ToArray();
            batch.Execute();
            var members = await Task.WhenAll(reads).ConfigureAwait(false);
            for (var i = 0; i < chunk.Length; i++)
            {
                var origins = members[i];
                if (origins.Length > 0)
                {
                    yield return new TenantOrigins(TenantOf(chunk[i]!), ToStrings(origins));
                }
            }
        }
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyCollection<string>> ListAsync(string tenant, CancellationToken cancellationToken)
    {
        var members = await _redis.GetDatabase(_database).SetMembersAsync(KeyOf(tenant)).WaitAsync(cancellationToken).ConfigureAwait(false);
        return ToStrings(members);
    }

    /// <inheritdoc/>
    public async Task<IAsyncDisposable?> WatchAsync(Action<string?> changed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changed);
        var subscriber = _redis.GetSubscriber();
        var channel = RedisChannel.Literal(Channel);
        var database = _redis.GetDatabase(_database).Database;
        var keyspace = RedisChannel.Pattern($"__keyspace@{database}__:{EscapeGlob(Key)}*");
        var keyspacePrefix = $"__keyspace@{database}__:";

        void OnMessage(RedisChannel _, RedisValue message) => changed(message == AllTenants ? null : (string?)message ?? string.Empty);
        void OnKeyspace(RedisChannel from, RedisValue _)
        {
            var key = ((string?)from)?[keyspacePrefix.Length..];
            if (key == Key || (key is not null && key.StartsWith(_tenantKeyPrefix, StringComparison.Ordinal)))
            {
                changed(TenantOf(key));
            }
        }

        // A lost connection is noticed at once (the read fails and the copy turns stale), and messages lost while it was
        // down are made good by reading everything once it is back.
        void OnConnectionEvent(object? sender, ConnectionFailedEventArgs e) => changed(null);

        await subscriber.SubscribeAsync(channel, OnMessage).WaitAsync(cancellationToken).ConfigureAwait(false);
        await subscriber.SubscribeAsync(keyspace, OnKeyspace).WaitAsync(cancellationToken).ConfigureAwait(false);
        _redis.ConnectionFailed += OnConnectionEvent;
        _redis.ConnectionRestored += OnConnectionEvent;
        return new Subscription(async () =>
        {
            _redis.ConnectionFailed -= OnConnectionEvent;
            _redis.ConnectionRestored -= OnConnectionEvent;
            await subscriber.UnsubscribeAsync(channel, OnMessage).ConfigureAwait(false);
            await subscriber.UnsubscribeAsync(keyspace, OnKeyspace).ConfigureAwait(false);
        });
    }

    /// <summary>
    /// Adds origins to <paramref name="tenant"/> and announces the change, in one transaction. Each origin is checked and
    /// normalised as the source would (<c>HTTPS://App.Example.com:443</c> is stored as <c>https://app.example.com</c>).
    /// </summary>
    /// <param name="tenant">The tenant (<c>""</c>: the untenanted set).</param>
    /// <param name="origins">The origins.</param>
    /// <exception cref="ArgumentException">An entry is not an exact origin; the message says why and the fix.</exception>
    public Task AddAsync(string tenant, params string[] origins) => ChangeAsync(tenant, origins, add: true);

    /// <summary>Removes origins from <paramref name="tenant"/> and announces the change, in one transaction.</summary>
    /// <param name="tenant">The tenant (<c>""</c>: the untenanted set).</param>
    /// <param name="origins">The origins, normalised as <see cref="AddAsync"/> does.</param>
    /// <exception cref="ArgumentException">An entry is not an exact origin.</exception>
    public Task RemoveAsync(string tenant, params string[] origins) => ChangeAsync(tenant, origins, add: false);

    private async Task ChangeAsync(string tenant, string[] origins, bool add)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(origins);
        var values = new RedisValue[origins.Length];
        for (var i = 0; i < origins.Length; i++)
        {
            values[i] = OriginSource.TryNormalise(origins[i], out var origin, out var error)
                ? origin
                : throw new ArgumentException(error, nameof(origins));
        }

        var transaction = _redis.GetDatabase(_database).CreateTransaction();
        _ = add ? transaction.SetAddAsync(KeyOf(tenant), values) : transaction.SetRemoveAsync(KeyOf(tenant), values);
        _ = transaction.PublishAsync(RedisChannel.Literal(Channel), tenant);
        if (!await transaction.ExecuteAsync().ConfigureAwait(false))
        {
            throw new RedisException($"the change to {KeyOf(tenant)} was not applied");
        }
    }

    private string TenantOf(string key) => key.Length <= Key.Length ? string.Empty : key[_tenantKeyPrefix.Length..];

    private static string[] ToStrings(RedisValue[] members) => [.. members.Select(m => (string?)m ?? string.Empty)];

    // SCAN and PSUBSCRIBE take glob patterns: a prefix is matched literally.
    private static string EscapeGlob(string text) =>
        string.Concat(text.Select(c => c is '*' or '?' or '[' or ']' or '\\' ? "\\" + c : c.ToString()));

    private sealed class Subscription(Func<Task> dispose) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await dispose().ConfigureAwait(false);
    }
}
