namespace CorsKit.Cli.Scan;

/// <summary>How bad a finding is, from least to most.</summary>
internal enum Severity
{
    Info,
    Low,
    Medium,
    High,
    Critical,
}
