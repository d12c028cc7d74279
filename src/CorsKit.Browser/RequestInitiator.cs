namespace CorsKit.Browser;

/// <summary>The script API that started a request; Chromium names it in its console message and words some reasons differently.</summary>
public enum RequestInitiator
{
    /// <summary><c>fetch()</c>: messages start with <c>Access to fetch at</c>.</summary>
    Fetch,

    /// <summary><c>XMLHttpRequest</c>: messages start with <c>Access to XMLHttpRequest at</c>.</summary>
    XmlHttpRequest,
}
