namespace CorsKit.Reliability.Tests.Infrastructure;

/// <summary>
/// Real programs the tests drive (nginx, wrk). Missing, a test is skipped with the command that installs it; under
/// <c>CORSKIT_REQUIRE_REAL_COMPONENTS=1</c> (set by .ci/run) it runs and fails instead, so CI never passes by skipping.
/// </summary>
public static class RealComponents
{
    public const string RequireVariable = "CORSKIT_REQUIRE_REAL_COMPONENTS";

    private static readonly string[] ExtraDirectories = ["/usr/sbin", "/sbin", "/usr/local/sbin"];

    public static bool Required => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    /// <summary>The full path of <paramref name="program"/> on PATH (or in the sbin directories), or <see langword="null"/>.</summary>
    public static string? Find(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(ExtraDirectories)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);

    /// <summary>The path of <paramref name="program"/>, or a failure that says how to install it.</summary>
    public static string Require(string program, string debianPackage) =>
        Find(program) ?? throw new Xunit.Sdk.XunitException(
            $"{program} is required ({RequireVariable}=1) but not installed; install it with: apt-get install {debianPackage}");

    public static string SkipReason(string program, string debianPackage) =>
        $"{program} is not installed; install it with: sudo apt-get install {debianPackage} (CI sets {RequireVariable}=1, which fails instead of skipping)";
}

/// <summary>A fact that needs a real program: skipped with an install hint when it is missing, unless real components are required.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RealComponentFactAttribute : FactAttribute
{
    public RealComponentFactAttribute(string program, string debianPackage)
    {
        if (RealComponents.Find(program) is null && !RealComponents.Required)
        {
            Skip = RealComponents.SkipReason(program, debianPackage);
        }
    }
}
