using CorsKit.Evaluation;

namespace CorsKit.Reliability.Tests.BadInput;

/// <summary>The bad inputs tried, one per line of the list and then some.</summary>
public static class BadInputCases
{
    public const string App = "https://app.example.com";

    private static readonly string TenThousandNames = string.Join(',', Enumerable.Repeat("x", 10_000));
    private static readonly string TenThousandDistinctNames = string.Join(',', Enumerable.Range(0, 10_000).Select(i => $"x-h{i}"));

    public static readonly BadInputCase[] All =
    [
        // Origin
        Get("origin empty", ("Origin", string.Empty), RejectionReason.OriginMalformed),
        Get("origin stray trailing comma", ("Origin", App + ","), RejectionReason.OriginMalformed),
        Get("origin stray leading comma", ("Origin", ", " + App), RejectionReason.OriginMalformed),
        Get("origin only commas", ("Origin", ",,,"), RejectionReason.OriginMalformed),
        Get("origin two values in one line", ("Origin", App + ", https://evil.com"), RejectionReason.OriginMalformed),
        Get("origin duplicated header, same value", ("Origin", App), ("Origin", App), RejectionReason.OriginMalformed),
        Get("origin duplicated header, other value", ("Origin", App), ("Origin", "https://evil.com"), RejectionReason.OriginMalformed),
        Get("origin tab inside", ("Origin", App + "\tevil"), RejectionReason.OriginMalformed),
        Get("origin 2,049 characters", ("Origin", "https://" + new string('a', 2041)), RejectionReason.OriginMalformed),
        Get("origin 30,000 characters", ("Origin", "https://" + new string('a', 29_992)), RejectionReason.OriginMalformed),
        Get("origin uppercase", ("Origin", App.ToUpperInvariant()), RejectionReason.OriginMalformed),
        Get("origin NULL", ("Origin", "NULL"), RejectionReason.OriginMalformed),
        Get("origin fake log line (printable)", ("Origin", "https://evil.com allowed by policy default (preflight: False)"), RejectionReason.OriginMalformed),
        Get("origin percent-encoded CRLF", ("Origin", "https://evil.com%0D%0Aforged"), RejectionReason.OriginMalformed),
        GetRefusedByKestrel("origin 40,000 characters (over Kestrel's 32 KB of headers)", 431, ("Origin", "https://" + new string('a', 40_000))),
        Get("origin raw UTF-8", ("Origin", "https://bücher.example"), RejectionReason.OriginMalformed),
        Get("origin raw U+2028 line separator", ("Origin", "https://evil.com\u2028forged"), RejectionReason.OriginMalformed),
        GetRefusedByKestrel("origin NUL byte", 400, ("Origin", "https://evil.com\0")),
        Get("origin control byte 0x01", ("Origin", "https://evil.com\u0001"), RejectionReason.OriginMalformed),
        Get("origin DEL byte", ("Origin", "https://evil.com\u007F"), RejectionReason.OriginMalformed),
        Get("origin escape sequence", ("Origin", "https://evil.com\u001B[31mred"), RejectionReason.OriginMalformed),
        GetRefusedByKestrel("origin bare CR", 400, ("Origin", "https://evil.com\rforged: yes")),
        GetRefusedByKestrel("origin obs-fold continuation line", 400, ("Origin", App + "\r\n forged")),

        // Access-Control-Request-Method
        // An empty Access-Control-Request-Method makes no preflight (as for ASP.NET Core's routing): a plain OPTIONS, which
        // the route does not accept, answered with an actual request's CORS headers.
        new("method empty (a plain OPTIONS)", "OPTIONS", "/data", PreflightHeaders(string.Empty, null), 405, true, null),
        Preflight("method two words", "GET POST", null, RejectionReason.MethodMalformed),
        Preflight("method stray comma", "PUT,", null, RejectionReason.MethodMalformed),
        Preflight("method list", "PUT,DELETE", null, RejectionReason.MethodMalformed),
        Preflight("method 10,000 characters", new string('P', 10_000), null, RejectionReason.MethodMalformed),
        Preflight("method tab inside", "PU\tT", null, RejectionReason.MethodMalformed),
        new("method duplicated header", "OPTIONS", "/data", [("Origin", App), ("Access-Control-Request-Method", "PUT"), ("Access-Control-Request-Method", "DELETE")], 204, false, RejectionReason.MethodMalformed),
        Preflight("method raw UTF-8", "PÜT", null, RejectionReason.MethodMalformed),
        Preflight("method control byte", "PUT\u0001", null, RejectionReason.MethodMalformed),
        PreflightRefusedByKestrel("method NUL byte", 400, "\0", null),

        // Access-Control-Request-Headers
        Preflight("headers empty item", "PUT", "x-token,,content-type", RejectionReason.HeadersMalformed),
        Preflight("headers leading comma", "PUT", ",x-token", RejectionReason.HeadersMalformed),
        Preflight("headers trailing comma", "PUT", "x-token,", RejectionReason.HeadersMalformed),
        Preflight("headers only commas", "PUT", ",,,", RejectionReason.HeadersMalformed),
        Preflight("headers space inside a name", "PUT", "x token", RejectionReason.HeadersMalformed),
        Preflight("headers 10,000 names", "PUT", TenThousandNames, RejectionReason.HeadersMalformed),
        Preflight("headers 1,024 allowed names (8,191 characters, under the limit)", "PUT", string.Join(',', Enumerable.Repeat("x-token", 1024)), null),
        new("headers duplicated header (combined as one list)", "OPTIONS", "/data", [("Origin", App), ("Access-Control-Request-Method", "PUT"), ("Access-Control-Request-Headers", "x-token"), ("Access-Control-Request-Headers", "content-type")], 204, true, null),
        PreflightRefusedByKestrel("headers 10,000 distinct names (over Kestrel's 32 KB)", 431, "PUT", TenThousandDistinctNames),
        Preflight("headers raw UTF-8", "PUT", "x-tökén", RejectionReason.HeadersMalformed),
        Preflight("headers control byte", "PUT", "x-token\u0001", RejectionReason.HeadersMalformed),
        PreflightRefusedByKestrel("headers NUL byte", 400, "PUT", "x-token\0"),

        // The request line: a path decoded from percent-encoding reaches the logs too.
        new("path percent-encoded CRLF (preflight log)", "OPTIONS", "/data%0D%0Aforged", [("Origin", App), ("Access-Control-Request-Method", "PUT")], 204, true, null),
        new("path percent-encoded CRLF (error log)", "GET", "/boom/%0D%0Aforged", [("Origin", App)], 500, true, null),
    ];

    private static BadInputCase Get(string name, (string, string) origin, RejectionReason reason) =>
        new(name, "GET", "/data", [origin], 200, false, reason);

    private static BadInputCase Get(string name, (string, string) first, (string, string) second, RejectionReason reason) =>
        new(name, "GET", "/data", [first, second], 200, false, reason);

    private static BadInputCase GetRefusedByKestrel(string name, int status, (string, string) origin) =>
        new(name, "GET", "/data", [origin], status, false, null);

    private static BadInputCase Preflight(string name, string method, string? headers, RejectionReason? reason) =>
        new(name, "OPTIONS", "/data", PreflightHeaders(method, headers), 204, reason is null, reason);

    private static BadInputCase PreflightRefusedByKestrel(string name, int status, string method, string? headers) =>
        new(name, "OPTIONS", "/data", PreflightHeaders(method, headers), status, false, null);

    private static (string, string)[] PreflightHeaders(string method, string? headers) =>
        headers is null
            ? [("Origin", App), ("Access-Control-Request-Method", method)]
            : [("Origin", App), ("Access-Control-Request-Method", method), ("Access-Control-Request-Headers", headers)];
}
