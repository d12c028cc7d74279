namespace CorsKit.Reliability.Tests.Origins;

/// <summary>The configured origin entries under test, and origins that truly match each of them (the seeds of the lookalikes).</summary>
public static class OriginEntries
{
    /// <summary>Exact entries, some written as people write them (case, default port, unicode), normalised by CorsKit.</summary>
    public static readonly string[] Exact =
    [
        "https://app.example.com",
        "HTTPS://Admin.Example.COM:443",
        "http://127.0.0.1:5081",
        "https://bücher.example",
        "https://[::1]:8443",
        "http://localhost:3000",
    ];

    public static readonly string[] Wildcards =
    [
        "https://*.example.org",
        "http://*.localhost:5173",
        "https://*.Shop.Example.NET:8443",
    ];

    public static readonly string[] Regexes =
    [
        @"https://(www|api)\.example\.com",
        @"https://app-[0-9]+\.example\.net",
        @"https://[a-z]+\.preview\.example\.dev",
    ];

    /// <summary>Origins exactly as a browser sends them, each genuinely matching one entry (or, for the apexes, deliberately not).</summary>
    public static readonly string[] Serialized =
    [
        "https://app.example.com",
        "https://admin.example.com",
        "http://127.0.0.1:5081",
        "https://xn--bcher-kva.example",
        "https://[::1]:8443",
        "http://localhost:3000",
        "https://example.org",              // the wildcard's apex: never matched by it
        "http://localhost:5173",
        "https://shop.example.net:8443",
        "https://www.example.com",
        "https://api.example.com",
        "https://example.com",
        "https://app-7.example.net",
        "https://docs.preview.example.dev",
        "null",
    ];

    /// <summary>Templates for generated genuine matches: <c>{label}</c> becomes one or more generated labels, <c>{digits}</c> digits.</summary>
    public static readonly string[] Templates =
    [
        "https://{label}.example.org",
        "http://{label}.localhost:5173",
        "https://{label}.shop.example.net:8443",
        "https://app-{digits}.example.net",
        "https://{letters}.preview.example.dev",
    ];
}
