namespace CorsKit.RealBrowsers.Tests.Matrix;

/// <summary>Where a scenario's script runs. All are pages on 127.0.0.1 (Chromium resolves <c>*.localhost</c> there).</summary>
public enum PageOrigin
{
    /// <summary><c>http://127.0.0.1:P</c>: the origin the policies allow.</summary>
    Main,

    /// <summary><c>http://127.0.0.1:Q</c>: the same host on another port, so another origin.</summary>
    OtherPort,

    /// <summary><c>http://localhost:P</c>: another host name for the same server.</summary>
    Localhost,

    /// <summary><c>http://app.localhost:P</c>: a subdomain of localhost.</summary>
    Subdomain,

    /// <summary><c>http://deep.app.localhost:P</c>: a subdomain two labels deep.</summary>
    DeepSubdomain,

    /// <summary>A sandboxed iframe (<c>sandbox="allow-scripts"</c>) in the main page: an opaque origin, sent as <c>Origin: null</c>.</summary>
    Sandboxed,
}
