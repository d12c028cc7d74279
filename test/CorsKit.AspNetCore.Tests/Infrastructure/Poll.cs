namespace CorsKit.AspNetCore.Tests.Infrastructure;

/// <summary>Waiting for what a background task does (an origin source's read, a status change).</summary>
public static class Poll
{
    /// <summary>Waits up to 10 s for <paramref name="condition"/>, checking every 20 ms, then asserts it.</summary>
    public static async Task UntilAsync(Func<bool> condition)
    {
        await SettleAsync(condition, TimeSpan.FromSeconds(10));
        Assert.True(condition());
    }

    /// <summary>
    /// Waits up to <paramref name="within"/> for what a timer or a loop does, checking every 20 ms, without asserting (the
    /// assertions after it say what is wrong, or that it rightly never happened).
    /// </summary>
    public static async Task SettleAsync(Func<bool> condition, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
    }
}
