namespace CorsKit.RealBrowsers.Tests.Matrix;

/// <summary>How the script builds a request body from <see cref="Scenario.Body"/>.</summary>
public enum BodyKind
{
    /// <summary>A string (fetch adds <c>text/plain;charset=UTF-8</c> unless a Content-Type is set).</summary>
    Text,

    /// <summary><c>URLSearchParams</c>: <c>application/x-www-form-urlencoded;charset=UTF-8</c>.</summary>
    UrlEncoded,

    /// <summary><c>FormData</c>: <c>multipart/form-data; boundary=...</c>.</summary>
    FormData,
}
