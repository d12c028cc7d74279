namespace CorsKit.AspNetCore.Tests.Infrastructure;

/// <summary>A clock that never moves: every log budget stays in one second, so a test can count exactly what it allows.</summary>
public sealed class FrozenClock : TimeProvider
{
    public override long GetTimestamp() => 0;
}
