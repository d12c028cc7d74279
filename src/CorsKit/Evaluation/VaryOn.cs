namespace CorsKit.Evaluation;

/// <summary>The request headers a CORS answer depends on, to be merged into the response's <c>Vary</c>.</summary>
[Flags]
public enum VaryOn
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary><c>Origin</c>.</summary>
    Origin = 1,

    /// <summary><c>Access-Control-Request-Method</c> (a preflight whose allowed methods echo it).</summary>
    RequestMethod = 2,

    /// <summary><c>Access-Control-Request-Headers</c> (a preflight whose allowed headers echo it).</summary>
    RequestHeaders = 4,
}
