using CorsKit.AspNetCore.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace CorsKit.AspNetCore.Tests.Security;

/// <summary>The budget of a log event: 10 entries a second at its level, the rest at Debug, whatever order the clock is read in.</summary>
public sealed class LogBudgetTests
{
    [Fact]
    public void ClockReadBeforeTheSecondTurned_CountsInTheNewSecond_DoesNotOpenAnotherTen()
    {
        var clock = new ScriptedClock();
        var budget = new LogBudget(LogLevel.Error, clock);
        using var sink = new LogSink();
        var logger = sink.CreateLogger("CorsKit.AspNetCore.CorsKitMiddleware");

        clock.Second = 1;
        var first = Enumerable.Range(0, 11).Select(_ => budget.Next(logger)).ToList();
        clock.Second = 2;
        var second = Enumerable.Range(0, 11).Select(_ => budget.Next(logger)).ToList();
        clock.Second = 1; // a thread that read the clock in second 1 and reaches the budget after second 2 began
        var late = budget.Next(logger);
        clock.Second = 2;
        var after = budget.Next(logger);

        Assert.Equal([.. Enumerable.Repeat(LogLevel.Error, 10), LogLevel.Debug], first);
        Assert.Equal([.. Enumerable.Repeat(LogLevel.Error, 10), LogLevel.Debug], second);
        Assert.Equal((LogLevel.Debug, LogLevel.Debug), (late, after));
    }

    [Fact]
    public void LoggerWritesNeitherLevelNorDebug_NoneAndNothingCounted()
    {
        var clock = new ScriptedClock { Second = 1 };
        var budget = new LogBudget(LogLevel.Error, clock);
        var off = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        using var sink = new LogSink();
        var on = sink.CreateLogger("CorsKit.AspNetCore.CorsKitMiddleware");

        var skipped = Enumerable.Range(0, 20).Select(_ => budget.Next(off)).Distinct().ToList();

        Assert.Equal([LogLevel.None], skipped);
        Assert.Equal(LogLevel.Error, budget.Next(on));
        Assert.Equal(1, clock.Reads); // read once, for the entry counted
    }

    private sealed class ScriptedClock : TimeProvider
    {
        public long Second { get; set; }

        public int Reads { get; private set; }

        public override long TimestampFrequency => 1000;

        public override long GetTimestamp()
        {
            Reads++;
            return Second * 1000;
        }
    }
}
