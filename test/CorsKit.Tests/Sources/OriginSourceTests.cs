using CorsKit.Evaluation;
using CorsKit.Policies;
using CorsKit.Sources;
using Microsoft.Extensions.Time.Testing;

namespace CorsKit.Tests.Sources;

public sealed class OriginSourceTests
{
    private static readonly DateTimeOffset ReadAt = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    // The clock of the host that marks a copy stale: its deadline is MaxStaleness (5 minutes) past the staleness on it.
    private readonly FakeTimeProvider _clock = new(ReadAt);

    [Theory]
    [InlineData("https://app.example.com", "https://app.example.com")]
    [InlineData("HTTPS://App.Example.com:443", "https://app.example.com")]
    [InlineData("http://localhost:5173", "http://localhost:5173")]
    [InlineData("https://bücher.example", "https://xn--bcher-kva.example")]
    public void TryNormalise_ExactOrigin_Serialized(string entry, string expected)
    {
        Assert.True(OriginSource.TryNormalise(entry, out var origin, out _));
        Assert.Equal(expected, origin);
    }

    [Theory]
    [InlineData("*", "exact origins only")]
    [InlineData("null", "exact origins only")]
    [InlineData("https://*.example.com", "exact origins only")]
    [InlineData("app.example.com", "has no scheme")]
    [InlineData("https://app.example.com/", "has a path (a trailing slash)")]
    [InlineData("https://app.example.com.", "https://app.example.com")]
    [InlineData("https://user@app.example.com", "user information")]
    [InlineData("", "empty")]
    public void TryNormalise_NotAnExactOrigin_RefusedWithReason(string entry, string reason)
    {
        Assert.False(OriginSource.TryNormalise(entry, out var origin, out var error));
        Assert.Null(origin);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Contains_BeforeFirstRead_Refuses()
    {
        var source = new OriginSource("s", new EmptyOriginStore());

        Assert.Equal(OriginSourceStatus.Starting, source.Status);
        Assert.False(source.Contains(null, "https://app.example.com"));
    }

    [Fact]
    public void ReplaceAll_ValidAndInvalidEntries_OnlyValidServedPerTenant()
    {
        var source = new OriginSource("s", new EmptyOriginStore());
        var refused = new List<OriginRefusal>();

        source.ReplaceAll([new("acme", ["HTTPS://App.Acme.com", "https://*.acme.com"]), new(string.Empty, ["https://shared.example"])], ReadAt, refused);

        Assert.Equal(OriginSourceStatus.Current, source.Status);
        Assert.Equal(ReadAt, source.LastReadAt);
        Assert.True(source.Contains("acme", "https://app.acme.com"));
        Assert.False(source.Contains("acme", "HTTPS://App.Acme.com"));
        Assert.False(source.Contains("acme", "https://app.acme.com.evil.com"));
        Assert.False(source.Contains("globex", "https://app.acme.com"));
        Assert.True(source.Contains(null, "https://shared.example"));
        Assert.Equal(new OriginRefusal("acme", "https://*.acme.com", Assert.Single(refused).Reason), refused[0]);
        Assert.Equal(2, source.OriginCount);
    }

    [Fact]
    public void FailClose_AfterRead_RefusesUntilReadAgain()
    {
        var source = new OriginSource("s", new EmptyOriginStore());
        source.ReplaceAll([new("acme", ["https://app.acme.com"])], ReadAt, []);

        source.MarkStale(ReadAt, _clock);
        var staleServes = source.Contains("acme", "https://app.acme.com");
        source.FailCloseUnlessReadSince(source.FullReads);
        var closedServes = source.Contains("acme", "https://app.acme.com");
        source.ReplaceAll([new("acme", ["https://app.acme.com"])], ReadAt.AddMinutes(1), []);

        Assert.True(staleServes);
        Assert.False(closedServes);
        Assert.True(source.Contains("acme", "https://app.acme.com"));
        Assert.Equal(OriginSourceStatus.Current, source.Status);
    }

    // Two hosts syncing one source: one fails it closed while the other, its store failing too, marks it stale. The
    // source stays failed closed (refusing) rather than reading Stale while it refuses every origin.
    [Fact]
    public void MarkStale_AfterFailClose_StaysFailedClosed()
    {
        var source = new OriginSource("s", new EmptyOriginStore());
        source.ReplaceAll([new("acme", ["https://app.acme.com"])], ReadAt, []);
        source.FailCloseUnlessReadSince(source.FullReads);

        source.MarkStale(ReadAt, _clock);

        Assert.Equal((OriginSourceStatus.FailedClosed, false), (source.Status, source.Contains("acme", "https://app.acme.com")));
    }

    // A host's staleness timer against a full read (by another host syncing the source, or its own loop) landing after
    // the outage began, in the order that lost before: the timer saw the source stale, the read landed, the timer
    // failed it closed. The read is never refused.
    [Fact]
    public void FailCloseUnlessReadSince_FullReadSinceTheOutageBegan_StaysServed()
    {
        var source = new OriginSource("s", new EmptyOriginStore());
        source.ReplaceAll([new("acme", ["https://app.acme.com"])], ReadAt, []);
        var outageBegan = source.FullReads;
        source.MarkStale(ReadAt, _clock);

        source.ReplaceAll([new("acme", ["https://app.acme.com"])], ReadAt.AddMinutes(1), []);
        source.MarkStale(ReadAt, _clock);
        var failedClosed = source.FailCloseUnlessReadSince(outageBegan);

        Assert.Equal((false, OriginSourceStatus.Stale, true), (failedClosed, source.Status, source.Contains("acme", "https://app.acme.com")));
    }

    // No full read since: fails closed, once (a second timer, another host's, finds it failed closed already).
    [Fact]
    public void FailCloseUnlessReadSince_NoReadSince_FailsClosedOnce()
    {
        var source = new OriginSource("s", new EmptyOriginStore());
        source.ReplaceAll([new("acme", ["https://app.acme.com"])], ReadAt, []);
        var outageBegan = source.FullReads;
        source.MarkStale(ReadAt, _clock);

        var first = source.FailCloseUnlessReadSince(outageBegan);
        var second = source.FailCloseUnlessReadSince(outageBegan);

        Assert.Equal((true, false, OriginSourceStatus.FailedClosed, false), (first, second, source.Status, source.Contains("acme", "https://app.acme.com")));
    }

    // 0 reads: a source nothing has read is failed closed; one another host has read (current or stale) is not. A current
    // copy not read since the count is too old as well (another host made it current, then stopped keeping it so).
    [Fact]
    public void FailCloseUnlessReadSince_Zero_FailsClosedOnlyWhatNothingRead()
    {
        var unread = new OriginSource("s", new EmptyOriginStore());
        var read = new OriginSource("s", new EmptyOriginStore());
        read.ReplaceAll([new("acme", ["https://app.acme.com"])], ReadAt, []);
        var current = new OriginSource("s", new EmptyOriginStore());
        current.ReplaceAll([new("acme", ["https://app.acme.com"])], ReadAt, []);

        Assert.Equal((true, OriginSourceStatus.FailedClosed), (unread.FailCloseUnlessReadSince(0), unread.Status));
        read.MarkStale(ReadAt, _clock);
        Assert.Equal((false, true), (read.FailCloseUnlessReadSince(0), read.Contains("acme", "https://app.acme.com")));
        Assert.Equal((false, OriginSourceStatus.Current), (current.FailCloseUnlessReadSince(0), current.Status));
        Assert.Equal((true, OriginSourceStatus.FailedClosed), (current.FailCloseUnlessReadSince(current.FullReads), current.Status));
    }

    // The deadline is the source's own: a stale copy is refused from MaxStaleness after it turned stale by every lookup,
    // though no host's timer has failed it closed (every host syncing it stopped, or the timer runs late). The timer
    // that comes later still fails it closed, once, and a full read serves it again.
    [Fact]
    public void Contains_StaleCopyPastItsDeadline_RefusedBeforeAnyFailClose()
    {
        var source = new OriginSource("s", new EmptyOriginStore());
        source.ReplaceAll([new("acme", ["https://app.acme.com"]), new(string.Empty, ["https://shared.example"])], ReadAt, []);
        var outageBegan = source.FullReads;
        source.MarkStale(ReadAt, _clock);

        _clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromTicks(1));
        var beforeDeadline = (source.Status, Tenant: source.Contains("acme", "https://app.acme.com"), Untenanted: source.Contains(null, "https://shared.example"));
        _clock.Advance(TimeSpan.FromTicks(1));
        var atDeadline = (source.Status, Tenant: source.Contains("acme", "https://app.acme.com"), Untenanted: source.Contains(null, "https://shared.example"));
        var timerFailsClosed = source.FailCloseUnlessReadSince(outageBegan);
        source.ReplaceAll([new("acme", ["https://app.acme.com"])], _clock.GetUtcNow(), []);

        Assert.Equal((OriginSourceStatus.Stale, true, true), beforeDeadline);
        Assert.Equal((OriginSourceStatus.FailedClosed, false, false), atDeadline);
        Assert.True(timerFailsClosed);
        Assert.Equal((OriginSourceStatus.Current, true), (source.Status, source.Contains("acme", "https://app.acme.com")));
    }

    // A tenant's read while the copy is stale (the store answers a tenant's read, not yet a full one) changes that tenant,
    // not the copy's deadline.
    [Fact]
    public void ReplaceTenant_WhileStale_KeepsTheDeadline()
    {
        var source = new OriginSource("s", new EmptyOriginStore());
        source.ReplaceAll([new("acme", ["https://app.acme.com"])], ReadAt, []);
        source.MarkStale(ReadAt, _clock);
        _clock.Advance(TimeSpan.FromMinutes(4));

        source.ReplaceTenant(new("acme", ["https://new.acme.com"]), _clock.GetUtcNow(), []);
        source.ReplaceTenant(new(string.Empty, ["https://shared.example"]), _clock.GetUtcNow(), []);
        var beforeDeadline = (source.Contains("acme", "https://new.acme.com"), source.Contains(null, "https://shared.example"));
        _clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal((true, true), beforeDeadline);
        Assert.Equal((OriginSourceStatus.FailedClosed, false, false), (source.Status, source.Contains("acme", "https://new.acme.com"), source.Contains(null, "https://shared.example")));
    }

    // A snapshot is stale from when it was saved: refused MaxStaleness after that, on the serving host's clock.
    [Fact]
    public void ServeSnapshot_RefusedMaxStalenessAfterItWasSaved()
    {
        var source = new OriginSource("s", new EmptyOriginStore());

        source.ServeSnapshot([new("acme", ["https://app.acme.com"])], ReadAt - TimeSpan.FromMinutes(4), _clock, []);
        var served = (source.Status, source.StaleSince, source.Contains("acme", "https://app.acme.com"));
        _clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal((OriginSourceStatus.Stale, (DateTimeOffset?)(ReadAt - TimeSpan.FromMinutes(4)), true), served);
        Assert.Equal((OriginSourceStatus.FailedClosed, false), (source.Status, source.Contains("acme", "https://app.acme.com")));
    }

    // Each setting is a timer's wait: past what a .NET timer takes (about 49.7 days) the host's start would fail with the
    // timer's ArgumentOutOfRangeException, and a MaxStaleness of TimeSpan.MaxValue overflowed the deadline.
    [Theory]
    [InlineData(50, 30, 1)]
    [InlineData(0.003, 50, 1)]
    [InlineData(0.003, 30, 50)]
    public void Constructor_IntervalLongerThanATimerWaits_RefusedAtTheCall(double maxStalenessDays, double resyncDays, double retryDays)
    {
        var options = new OriginSourceOptions { MaxStaleness = TimeSpan.FromDays(maxStalenessDays), ResyncInterval = TimeSpan.FromDays(resyncDays), RetryInterval = TimeSpan.FromDays(retryDays) };

        var error = Assert.Throws<ArgumentException>(() => new OriginSource("s", new EmptyOriginStore(), options));

        Assert.Equal("origin source 's': MaxStaleness, ResyncInterval and RetryInterval must each be at most 49 days (the longest a timer waits) (Parameter 'options')", error.Message);
        Assert.Equal(TimeSpan.FromDays(49), new OriginSource("s", new EmptyOriginStore(), new OriginSourceOptions { MaxStaleness = TimeSpan.FromDays(49) }).Options.MaxStaleness);
        Assert.Throws<ArgumentException>(() => new OriginSource("s", new EmptyOriginStore(), new OriginSourceOptions { MaxStaleness = TimeSpan.MaxValue }));
    }

    // Two hosts read the store at once and the read begun first lands last: its answer is older than the copy (a
    // revocation the other read saw would be undone), so it is dropped.
    [Fact]
    public void ReplaceAll_ReadBegunFirstLandsLast_Dropped()
    {
        var source = new OriginSource("s", new EmptyOriginStore());
        var first = source.BeginFullRead();
        var second = source.BeginFullRead();

        var secondApplied = source.ReplaceAll([new("acme", ["https://new.acme.com"])], ReadAt.AddSeconds(1), [], second);
        var firstApplied = source.ReplaceAll([new("acme", ["https://old.acme.com"])], ReadAt, [], first);

        Assert.Equal((true, false), (secondApplied, firstApplied));
        Assert.Equal((true, false, ReadAt.AddSeconds(1)), (source.Contains("acme", "https://new.acme.com"), source.Contains("acme", "https://old.acme.com"), source.LastReadAt));
        Assert.True(source.ReplaceAll([new("acme", ["https://newest.acme.com"])], ReadAt.AddSeconds(2), []));
    }

    [Fact]
    public void ReplaceTenant_EmptySet_TenantRemoved()
    {
        var source = new OriginSource("s", new EmptyOriginStore());
        source.ReplaceAll([new("acme", ["https://app.acme.com"]), new("globex", ["https://app.globex.com"])], ReadAt, []);

        source.ReplaceTenant(new("acme", []), ReadAt, []);

        Assert.False(source.Contains("acme", "https://app.acme.com"));
        Assert.True(source.Contains("globex", "https://app.globex.com"));
        Assert.Equal(1, source.TenantCount);
    }

    [Fact]
    public void ReplaceTenant_Untenanted_ServedWithoutTheTenants()
    {
        var source = new OriginSource("s", new EmptyOriginStore());
        source.ReplaceAll([new(string.Empty, ["https://old.example"]), new("acme", ["https://app.acme.com"])], ReadAt, []);

        source.ReplaceTenant(new(string.Empty, ["HTTPS://New.Example"]), ReadAt, []);
        var afterChange = (Old: source.Contains(null, "https://old.example"), New: source.Contains(string.Empty, "https://new.example"));
        source.ReplaceTenant(new(string.Empty, []), ReadAt, []);

        Assert.Equal((false, true), afterChange);
        Assert.False(source.Contains(null, "https://new.example"));
        Assert.False(source.Contains(null, "https://app.acme.com"));
        Assert.False(source.Contains("acme", "https://new.example"));
        Assert.True(source.Contains("acme", "https://app.acme.com"));
        Assert.Empty(source.OriginsOf(string.Empty));
    }

    [Fact]
    public void ReplaceTenant_UntenantedWhileFailedClosed_StillRefusesUntilFullRead()
    {
        var source = new OriginSource("s", new EmptyOriginStore());
        source.ReplaceAll([new(string.Empty, ["https://old.example"])], ReadAt, []);
        source.FailCloseUnlessReadSince(source.FullReads);

        source.ReplaceTenant(new(string.Empty, ["https://new.example"]), ReadAt, []);
        var whileClosed = source.Contains(null, "https://new.example");
        source.ReplaceAll([new(string.Empty, ["https://new.example"])], ReadAt.AddMinutes(1), []);

        Assert.False(whileClosed);
        Assert.True(source.Contains(null, "https://new.example"));
        Assert.False(source.Contains(null, "https://old.example"));
    }

    // The untenanted change and the fail-close race: whichever lands last, a failed-closed source refuses.
    [Fact]
    public void ReplaceTenant_UntenantedRacingFailClose_NeverServesAfterFailClose()
    {
        var source = new OriginSource("s", new EmptyOriginStore());
        for (var i = 0; i < 2_000; i++)
        {
            source.ReplaceAll([new(string.Empty, ["https://a.example"])], ReadAt, []);
            using var start = new Barrier(2);
            var change = new Thread(() =>
            {
                start.SignalAndWait();
                source.ReplaceTenant(new(string.Empty, ["https://b.example"]), ReadAt, []);
            });
            change.Start();
            start.SignalAndWait();
            source.FailCloseUnlessReadSince(source.FullReads);
            change.Join();

            Assert.False(source.Contains(null, "https://b.example"), $"round {i}: served after FailClose");
            Assert.False(source.Contains(null, "https://a.example"), $"round {i}: served after FailClose");
        }
    }

    [Fact]
    public void Evaluate_OriginInTenantsCopy_AllowedWithoutAllocating()
    {
        var source = new OriginSource("s", new EmptyOriginStore());
        source.ReplaceAll([new("acme", ["https://app.acme.com"])], ReadAt, []);
        var policy = new CorsPolicyBuilder().WithOriginsFrom(source, OriginTenant.FromRouteValue("tenant")).Build();
        var request = new CorsRequest("GET", "https://app.acme.com", Tenant: "acme");
        CorsEvaluator.Evaluate(policy, request);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var decision = CorsEvaluator.Evaluate(policy, request);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal("https://app.acme.com", decision.AllowOrigin);
        Assert.Equal(VaryOn.Origin, decision.Vary);
        Assert.Equal(0, allocated);
        Assert.False(CorsEvaluator.Evaluate(policy, request with { Tenant = "globex" }).IsAllowed);
        Assert.False(CorsEvaluator.Evaluate(policy, request with { Tenant = null }).IsAllowed);
        Assert.Equal("tenant", policy.OriginTenant.RouteValueName);
        Assert.Same(source, policy.OriginSource);
    }

    [Fact]
    public void Build_AnyOriginWithSource_Refused()
    {
        var builder = new CorsPolicyBuilder("api").AllowAnyOrigin().WithOriginsFrom(new OriginSource("s", new EmptyOriginStore()));

        var error = Assert.Throws<CorsPolicyException>(builder.Build);

        Assert.Contains("'*' (any origin) makes the other origin entries meaningless", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_SourceOnly_IsEnoughOrigins()
    {
        var policy = new CorsPolicyBuilder("api").WithOriginsFrom(new OriginSource("s", new EmptyOriginStore())).AllowCredentials().Build();

        Assert.True(policy.VariesByOrigin);
        Assert.Equal(OriginTenantKind.None, policy.OriginTenant.Kind);
    }
}
