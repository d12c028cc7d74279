namespace CorsKit.Benchmarks.Infrastructure;

/// <summary>The three pipelines every scenario compares, in one run.</summary>
public enum Implementation
{
    /// <summary>The same app without any CORS middleware: the baseline.</summary>
    None,

    /// <summary><c>services.AddCors</c> + <c>app.UseCors()</c> (Microsoft.AspNetCore.Cors, in the shared framework).</summary>
    Microsoft,

    /// <summary><c>services.AddCorsKit</c> + <c>app.UseCorsKit()</c>.</summary>
    CorsKit,
}
