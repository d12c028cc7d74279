namespace CorsKit.AspNetCore;

/// <summary>What a response that CorsKit finishes answers.</summary>
internal enum ResponseKind
{
    /// <summary>Any request but a preflight: the app's response, with the CORS headers of an actual request.</summary>
    Actual,

    /// <summary>A preflight the app answered (its path passes preflights on, or no routing reached it): the app's response, with a preflight's CORS headers.</summary>
    Preflight,

    /// <summary>A preflight routed to a preflight twin: CorsKit's answer (the policy's preflight status), with a preflight's CORS headers.</summary>
    AnsweredPreflight,
}
