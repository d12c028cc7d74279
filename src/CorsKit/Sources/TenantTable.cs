using System.Buffers.Binary;
using System.Collections.Frozen;
using System.Numerics;
using System.Runtime.InteropServices;

namespace CorsKit.Sources;

/// <summary>
/// Each tenant's origins in an <see cref="OriginSource"/>'s local copy: a hash table that requests read without a lock
/// while one writer at a time (the source's writers' lock) changes it.
/// </summary>
/// <remarks>
/// Built for the request path, where a per-tenant lookup is the one thing a source adds to a static policy's work
/// (docs/performance.md, "Origin sources"). A <c>ConcurrentDictionary</c> reaches a tenant's set through its tables
/// object, its bucket array and a node, each a load that waits for the one before; here the slots lie inline in one
/// array, and the name hashes with CRC-32C, which the processor computes in a few cycles, mixed by one multiplication.
/// <list type="number">
/// <item>Open addressing with linear probing; at most half the slots are used (removed tenants included), so a probe
/// always ends at an unused slot. Past that the writer copies the tenants that still have origins into a new table,
/// which the source then serves.</item>
/// <item>A tenant keeps its slot for the table's life: a change replaces its set (one reference write, so a request sees
/// the old set or the new one, never part of one); a removal leaves an empty set. A full read builds a new table.</item>
/// <item>A new slot is filled set first, name last (a release write): a request that sees the name sees the set.</item>
/// <item>CRC-32C is not keyed: names can be chosen to collide. No tenant is stored further than
/// <see cref="MaxDisplacement"/> slots from where its hash points (with a well-spread hash, a million tenants at half
/// load reach about 45); storing one further makes the writer rebuild the table on the process's randomized string
/// hash, whose collisions cannot be chosen. A lookup probes at most as far as the furthest stored tenant, so a
/// request's <c>Host</c> chosen to land on a long run of slots costs that many probes at most.</item>
/// </list>
/// </remarks>
internal sealed class TenantTable
{
    /// <summary>How far from its hash's slot a tenant may be stored before the table changes to the randomized hash.</summary>
    internal const int MaxDisplacement = 128;

    private const int MinCapacity = 16;

    private readonly Slot[] _slots;
    private readonly int _mask;
    private int _used;
    private int _count;
    private long _origins;
    private int _furthest;

    /// <summary>An empty table with room for <paramref name="tenants"/> tenants before it grows.</summary>
    /// <param name="tenants">How many tenants it will hold.</param>
    /// <param name="randomized">Whether names hash with the randomized string hash (after chosen collisions) rather than CRC-32C.</param>
    public TenantTable(int tenants = 0, bool randomized = false)
    {
        var capacity = (int)Math.Min(1L << 30, Math.Max(MinCapacity, 2 * (long)BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, tenants))));
        _slots = new Slot[capacity];
        _mask = capacity - 1;
        Randomized = randomized;
    }

    /// <summary>Whether names hash with the randomized string hash.</summary>
    public bool Randomized { get; }

    /// <summary>How many tenants have origins.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>How many origins the tenants have, together.</summary>
    public long OriginCount => Volatile.Read(ref _origins);

    /// <summary>The slots a lookup may probe at most: the furthest any tenant is stored from its hash's slot, plus one.</summary>
    internal int MaxProbes => Volatile.Read(ref _furthest) + 1;

    /// <summary>The slot <paramref name="tenant"/> hashes to, where its probe starts (for tests).</summary>
    internal int HomeSlot(string tenant) => Hash(tenant) & _mask;

    /// <summary>The origins of <paramref name="tenant"/>, empty when it has none. Lock-free; allocates nothing.</summary>
    /// <param name="tenant">The tenant's name, compared ordinally.</param>
    public FrozenSet<string> Find(string tenant)
    {
        var hash = Hash(tenant);
        var slots = _slots;
        var probes = Volatile.Read(ref _furthest);
        for (var i = hash & _mask; probes >= 0; i = (i + 1) & _mask, probes--)
        {
            ref var slot = ref slots[i];
            var name = Volatile.Read(ref slot.Tenant);
            if (name is null)
            {
                break;
            }

            if (slot.Hash == hash && string.Equals(name, tenant, StringComparison.Ordinal))
            {
                return slot.Origins!;
            }
        }

        return FrozenSet<string>.Empty;
    }

    /// <summary>
    /// Sets the origins of <paramref name="tenant"/> (an empty set removes them). Writers only, one at a time. Returns this
    /// table, or a new one holding every tenant and the change when this one is too full or its hash was defeated: serve
    /// that one from then on.
    /// </summary>
    /// <param name="tenant">The tenant's name.</param>
    /// <param name="origins">Its origins, normalised.</param>
    public TenantTable Set(string tenant, FrozenSet<string> origins)
    {
        var hash = Hash(tenant);
        var home = hash & _mask;
        var i = home;
        for (; _slots[i].Tenant is { } name; i = (i + 1) & _mask)
        {
            if (_slots[i].Hash == hash && string.Equals(name, tenant, StringComparison.Ordinal))
            {
                var old = _slots[i].Origins!;
                Volatile.Write(ref _slots[i].Origins, origins);
                Tally(old, -1);
                Tally(origins, +1);
                return this;
            }
        }

        if (origins.Count == 0)
        {
            return this; // nothing to remove
        }

        var displacement = (i - home) & _mask;
        if ((_used + 1) * 2 > _slots.Length || (displacement > MaxDisplacement && !Randomized))
        {
            return Rebuilt(randomized: Randomized || displacement > MaxDisplacement).Set(tenant, origins);
        }

        _slots[i].Origins = origins;
        _slots[i].Hash = hash;
        if (displacement > _furthest)
        {
            Volatile.Write(ref _furthest, displacement);
        }

        Volatile.Write(ref _slots[i].Tenant, tenant);
        _used++;
        Tally(origins, +1);
        return this;
    }

    /// <summary>Every tenant with origins, and its origins (as the table holds them while it is enumerated).</summary>
    public IEnumerable<(string Tenant, FrozenSet<string> Origins)> Entries()
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            var name = Volatile.Read(ref _slots[i].Tenant);
            if (name is not null && _slots[i].Origins is { Count: > 0 } origins)
            {
                yield return (name, origins);
            }
        }
    }

    // The tenants that have origins, in a table sized for them and one more.
    private TenantTable Rebuilt(bool randomized)
    {
        var fresh = new TenantTable(_count + 1, randomized);
        foreach (var (name, origins) in Entries())
        {
            fresh = fresh.Set(name, origins);
        }

        return fresh;
    }

    private int Hash(string tenant)
    {
        if (Randomized)
        {
            return tenant.GetHashCode();
        }

        var bytes = MemoryMarshal.AsBytes(tenant.AsSpan());
        var crc = (uint)bytes.Length;
        for (; bytes.Length >= sizeof(ulong); bytes = bytes[sizeof(ulong)..])
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        }

        if (bytes.Length >= sizeof(uint))
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt32LittleEndian(bytes));
            bytes = bytes[sizeof(uint)..];
        }

        if (bytes.Length >= sizeof(ushort))
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt16LittleEndian(bytes));
        }

        // CRC is linear: names that differ in a few characters differ by related bits, which pile up in neighbouring slots.
        // A multiplication carries every bit of it into the high half, which is the hash.
        return (int)((crc * 0x9E3779B97F4A7C15UL) >> 32);
    }

    private void Tally(FrozenSet<string> origins, int sign)
    {
        if (origins.Count > 0)
        {
            Volatile.Write(ref _count, _count + sign);
            Volatile.Write(ref _origins, _origins + (sign * origins.Count));
        }
    }

    private struct Slot
    {
        public int Hash;
        public string? Tenant;
        public FrozenSet<string>? Origins;
    }
}
