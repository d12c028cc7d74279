using Microsoft.Extensions.Logging;

namespace CorsKit.AspNetCore.WebSockets;

/// <summary>
/// Event 30's budgets, one per app (every <c>UseWebSocketOrigins</c> call of the app shares them, as every endpoint shares
/// the HTTP events'): refusals of an origin the policy does not allow, and refusals because the policy provider or the
/// origin check failed, each at most <see cref="LogBudget.PerSecond"/> a second at Information, so a flood of refused
/// origins does not push a failure down to Debug.
/// </summary>
internal sealed class WebSocketOriginBudgets(TimeProvider time)
{
    public LogBudget Refusals { get; } = new(LogLevel.Information, time);

    public LogBudget Failures { get; } = new(LogLevel.Information, time);
}
