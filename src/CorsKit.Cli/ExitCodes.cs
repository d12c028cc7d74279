namespace CorsKit.Cli;

/// <summary>The exit codes of every command.</summary>
internal static class ExitCodes
{
    /// <summary>Allowed, or nothing found.</summary>
    public const int Ok = 0;

    /// <summary>Blocked, or a finding at or above <c>--fail-on</c>.</summary>
    public const int Failed = 1;

    /// <summary>Bad usage, or the network failed (DNS, refused, TLS, timeout).</summary>
    public const int UsageOrNetwork = 2;
}
