using System.Collections.Frozen;
using System.Globalization;
using CorsKit.Sources;

namespace CorsKit.Tests.Sources;

/// <summary>
/// The tenant table behind an origin source's per-tenant lookups: what it holds through changes and growth, its defence
/// against tenant names chosen to collide under its unkeyed hash, and lock-free lookups while a writer changes it.
/// </summary>
public sealed class TenantTableTests
{
    private static readonly FrozenSet<string> A = Set("https://a.example");
    private static readonly FrozenSet<string> B = Set("https://b.example", "https://c.example");

    [Fact]
    public void Set_NewChangedRemovedTenants_FoundAsSetAndCounted()
    {
        var table = new TenantTable();
        table = table.Set("one.example", A).Set("two.example", B);
        Assert.Same(A, table.Find("one.example"));
        Assert.Same(B, table.Find("two.example"));
        Assert.Empty(table.Find("three.example"));
        Assert.Empty(table.Find("ONE.example")); // ordinal: the caller normalises
        Assert.Equal((2, 3L), (table.Count, table.OriginCount));

        table = table.Set("one.example", B).Set("two.example", FrozenSet<string>.Empty);
        Assert.Same(B, table.Find("one.example"));
        Assert.Empty(table.Find("two.example"));
        Assert.Equal((1, 2L), (table.Count, table.OriginCount));
        Assert.Equal([("one.example", B)], table.Entries());

        // Removing a tenant it never held changes nothing; the removed one comes back in its slot.
        Assert.Same(table, table.Set("never.example", FrozenSet<string>.Empty));
        table = table.Set("two.example", A);
        Assert.Same(A, table.Find("two.example"));
        Assert.Equal((2, 3L), (table.Count, table.OriginCount));
    }

    [Fact]
    public void Set_ManyTenants_GrowsIntoNewTablesKeepingEveryTenant()
    {
        var table = new TenantTable();
        var first = table;
        for (var t = 0; t < 5_000; t++)
        {
            table = table.Set(Name(t), t % 2 == 0 ? A : B);
        }

        // Removed tenants do not make it grow for ever: their slots are dropped when it is copied.
        for (var t = 0; t < 5_000; t += 3)
        {
            table = table.Set(Name(t), FrozenSet<string>.Empty);
        }

        for (var t = 5_000; t < 6_000; t++)
        {
            table = table.Set(Name(t), A);
        }

        Assert.NotSame(first, table);
        Assert.False(table.Randomized);
        for (var t = 0; t < 6_000; t++)
        {
            var expected = t < 5_000 && t % 3 == 0 ? FrozenSet<string>.Empty : t >= 5_000 || t % 2 == 0 ? A : B;
            Assert.Equal(expected, table.Find(Name(t)));
        }

        Assert.Equal(6_000 - 1_667, table.Count);
        Assert.Equal(6_000 - 1_667, table.Entries().Count());
    }

    // Names that differ in a digit or two are the usual case (customer numbers, generated subdomains); the hash is not
    // keyed, so this is deterministic: they must spread well enough that none is stored MaxDisplacement slots away.
    [Theory]
    [InlineData("t{0}")]
    [InlineData("tenant-{0}.example.com")]
    [InlineData("app.customer{0}.example")]
    [InlineData("{0}.tenants.saas.example")]
    public void Set_HundredThousandSimilarNames_StaysOnCrcWithShortProbes(string pattern)
    {
        var table = new TenantTable();
        for (var t = 0; t < 100_000; t++)
        {
            table = table.Set(string.Format(CultureInfo.InvariantCulture, pattern, t), A);
        }

        Assert.False(table.Randomized);
        Assert.Equal(100_000, table.Count);
        Assert.InRange(table.MaxProbes, 1, TenantTable.MaxDisplacement);
    }

    // CRC-32C is linear: names that share their slot are found by trying a few thousand. Stored one after another they
    // pile up behind that slot; past MaxDisplacement the table rebuilds on the randomized hash, so every lookup, of a
    // stored name or of one chosen to start at the pile, probes a bounded number of slots.
    [Fact]
    public void Set_NamesChosenToCollide_TableChangesToTheRandomizedHashAndLookupsStayBounded()
    {
        var table = new TenantTable(256);
        var colliding = Colliding(table, TenantTable.MaxDisplacement + 8);
        var crc = table;
        foreach (var name in colliding.Take(TenantTable.MaxDisplacement + 1))
        {
            table = table.Set(name, A);
        }

        // Up to MaxDisplacement slots away they stay: the same table, on CRC-32C, each probe bounded by the pile.
        Assert.Same(crc, table);
        Assert.Equal(TenantTable.MaxDisplacement + 1, table.MaxProbes);

        foreach (var name in colliding.Skip(TenantTable.MaxDisplacement + 1))
        {
            table = table.Set(name, A);
        }

        Assert.NotSame(crc, table);
        Assert.True(table.Randomized);
        Assert.InRange(table.MaxProbes, 1, 16);
        Assert.All(colliding, name => Assert.Same(A, table.Find(name)));
        Assert.Empty(table.Find("absent.example"));

        // Growth keeps the randomized hash.
        for (var t = 0; t < 500; t++)
        {
            table = table.Set(Name(t), B);
        }

        Assert.True(table.Randomized);
        Assert.All(colliding, name => Assert.Same(A, table.Find(name)));
    }

    // A request sees a tenant's old set or its new one while a writer replaces sets, adds tenants and grows the table:
    // a tenant present in both never goes missing, a tenant being added is never seen with a set it was not given.
    [Fact]
    public async Task Find_WhileOneWriterChangesAndGrowsTheTable_NeverMissesAPresentTenant()
    {
        var table = new TenantTable();
        table = table.Set("steady.example", A);
        var current = table;
        var done = false;
        var wrong = 0;
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            while (!Volatile.Read(ref done))
            {
                var seen = Volatile.Read(ref current);
                var steady = seen.Find("steady.example");
                if (!steady.Contains("https://a.example") || seen.Find("added-17.example") is { Count: > 0 } added && added != B)
                {
                    Interlocked.Increment(ref wrong);
                }
            }
        })).ToArray();

        for (var round = 0; round < 200; round++)
        {
            var writing = new TenantTable().Set("steady.example", A);
            Volatile.Write(ref current, writing);
            for (var t = 0; t < 100; t++)
            {
                writing = writing.Set("steady.example", t % 2 == 0 ? Set("https://a.example", "https://x.example") : A);
                writing = writing.Set("added-" + t.ToString(CultureInfo.InvariantCulture) + ".example", B);
                Volatile.Write(ref current, writing);
            }
        }

        Volatile.Write(ref done, true);
        await Task.WhenAll(readers);
        Assert.Equal(0, wrong);
    }

    // Names that hash to the same slot as the first in a table of that size, found by trying names in turn (about one in
    // 512 qualifies).
    private static List<string> Colliding(TenantTable table, int count)
    {
        var names = Enumerable.Range(0, int.MaxValue).Select(i => "t" + i.ToString(CultureInfo.InvariantCulture) + ".example");
        var home = table.HomeSlot(names.First());
        return [.. names.Where(name => table.HomeSlot(name) == home).Take(count)];
    }

    private static string Name(int t) => "tenant-" + t.ToString(CultureInfo.InvariantCulture) + ".example.com";

    private static FrozenSet<string> Set(params string[] origins) => origins.ToFrozenSet(StringComparer.Ordinal);
}
