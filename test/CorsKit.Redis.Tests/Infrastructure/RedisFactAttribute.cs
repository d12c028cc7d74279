using CorsKit.Reliability.Tests.Infrastructure;

namespace CorsKit.Redis.Tests.Infrastructure;

/// <summary>A fact that needs a real redis-server: skipped with the install command when it is missing, unless real components are required (CI).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RedisFactAttribute : FactAttribute
{
    public RedisFactAttribute()
    {
        if (RealComponents.Find("redis-server") is null && !RealComponents.Required)
        {
            Skip = RealComponents.SkipReason("redis-server", "redis-server");
        }
    }
}
