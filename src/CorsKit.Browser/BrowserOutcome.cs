namespace CorsKit.Browser;

/// <summary>What the browser does with a request in the end.</summary>
public enum BrowserOutcome
{
    /// <summary>The script gets the response.</summary>
    Allowed,

    /// <summary>The script gets a network error (<c>TypeError: Failed to fetch</c>) and the console shows why.</summary>
    Blocked,

    /// <summary>The response is a redirect that passed the CORS check: the browser follows it (see <see cref="BrowserVerdict.NextRequest"/>).</summary>
    Redirected,
}
