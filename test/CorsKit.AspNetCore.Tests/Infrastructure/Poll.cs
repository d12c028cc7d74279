namespace CorsKit.AspNetCore.Tests.Infrastructure;

/// <summary>Waiting for what a background task does (an origin source's read, a status change).</summary>
public static class Poll
{
    /// <summary>Waits up to 10 s for <paramref name="condition"/>, checking every 20 ms, then asserts it.</summary>
    public static async Task UntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.True(condition());
    }
}
