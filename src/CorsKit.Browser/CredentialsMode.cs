namespace CorsKit.Browser;

/// <summary>A request's credentials mode (Fetch, section 2.2.5 "Requests"): whether cookies and HTTP authentication go with it.</summary>
public enum CredentialsMode
{
    /// <summary><c>omit</c>: never send credentials.</summary>
    Omit,

    /// <summary><c>same-origin</c>: send credentials only to the page's own origin. The default of <c>fetch()</c> and of XHR without <c>withCredentials</c>.</summary>
    SameOrigin,

    /// <summary><c>include</c>: always send credentials (<c>credentials: 'include'</c>, or XHR with <c>withCredentials = true</c>).</summary>
    Include,
}
