namespace CorsKit.AspNetCore.Configuration;

/// <summary>A configuration edit CorsKit refused: what was wrong with it (and the fix), and when.</summary>
/// <param name="Message">The refusal, naming the bad entry and its fix.</param>
/// <param name="At">When the edit was read.</param>
internal sealed record ReloadRefusal(string Message, DateTimeOffset At);
