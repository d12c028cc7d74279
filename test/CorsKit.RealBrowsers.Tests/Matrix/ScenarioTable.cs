using CorsKit.RealBrowsers.Tests.Infrastructure;
using static CorsKit.Browser.CorsFailure;
using static CorsKit.RealBrowsers.Tests.Matrix.Intent;
using static CorsKit.RealBrowsers.Tests.Matrix.PageOrigin;

namespace CorsKit.RealBrowsers.Tests.Matrix;

/// <summary>
/// The matrix. Routes and their policies are in <see cref="MatrixApi"/>: <c>/exact</c> allows the main page with GET, POST,
/// PUT, PATCH and X-Token, Content-Type; <c>/creds</c> (cookie) and <c>/account</c> (no cookie) add credentials, DELETE and
/// Authorization and expose X-Total-Count; <c>/public</c> is <c>*</c> with everything echoed and <c>*</c> exposed;
/// <c>/wildcard</c> is <c>http://*.localhost:P</c>; <c>/regex</c> is <c>http://(127\.0\.0\.1|localhost):P</c>; <c>/opaque</c>
/// is <c>null</c>; <c>/maxage</c> caches 600 s, <c>/maxage-zero</c> 0 s; <c>/nocors</c> has no CORS; <c>/raw</c>, on a
/// server without CorsKit, answers with the headers its query names (a deliberately broken server). Every group has
/// <c>/throws</c>, <c>/self-acao</c> (the handler writes <c>*</c> itself, and CorsKit replaces it), <c>/self-acao-origin</c>
/// and <c>/redirect?to=</c>.
/// </summary>
public static class ScenarioTable
{
    private const string Json = "application/json";
    private const string ProblemBody = "\"status\":500";
    private static readonly (string, string)[] Token = [("X-Token", "t0k3n")];

    public static IReadOnlyList<Scenario> All { get; } =
    [
        // Simple requests: no preflight; the origin decides.
        new("simple GET from the allowed origin", Main, "/exact/a", Allow(body: "\"route\":\"exact\"", reads: [("content-type", "application/json; charset=utf-8"), ("x-total-count", null), ("x-secret", null)])),
        new("simple GET from another port", OtherPort, "/exact/a", Block(MissingAllowOrigin)),
        new("simple GET from localhost, another host", Localhost, "/exact/a", Block(MissingAllowOrigin)),
        new("simple GET from a subdomain", Subdomain, "/exact/a", Block(MissingAllowOrigin)),
        new("simple HEAD", Main, "/exact/a", Allow(body: string.Empty)) { Method = "HEAD" },
        new("simple POST text/plain", Main, "/exact/a", Allow(body: "\"body\":\"hello\"")) { Method = "POST", Body = "hello", Headers = [("Content-Type", "text/plain")] },
        new("simple POST urlencoded form", Main, "/exact/a", Allow(body: "a=1")) { Method = "POST", Body = "a=1", BodyKind = BodyKind.UrlEncoded },
        new("simple POST multipart form", Main, "/exact/a", Allow(body: "form-data")) { Method = "POST", Body = "x", BodyKind = BodyKind.FormData },
        new("simple POST text/plain;garbage is still safelisted", Main, "/exact/a", Allow()) { Method = "POST", Body = "x", Headers = [("Content-Type", "text/plain;garbage")] },
        new("simple GET with Accept-Language", Main, "/exact/a", Allow()) { Headers = [("Accept-Language", "en-US,en;q=0.9")] },
        new("simple GET with Content-Language", Main, "/exact/a", Allow()) { Headers = [("Content-Language", "de-DE")] },
        new("simple GET with Range bytes=0-9", Main, "/exact/a", Allow()) { Headers = [("Range", "bytes=0-9")] },
        new("simple GET with a forbidden header, dropped silently", Main, "/exact/a", Allow()) { Headers = [("Cookie", "forged=1")] },

        // Preflighted requests: method, headers, content type.
        new("preflight POST application/json allowed", Main, "/exact/a", Allow(preflights: 1)) { Method = "POST", Body = "{}", Headers = [("Content-Type", Json)] },
        new("preflight POST 'text /plain' is not safelisted", Main, "/exact/a", Allow(preflights: 1)) { Method = "POST", Body = "x", Headers = [("Content-Type", "text /plain")] },
        new("preflight PUT with X-Token allowed", Main, "/exact/a", Allow(preflights: 1, body: "\"method\":\"PUT\"")) { Method = "PUT", Headers = Token },
        new("preflight PUT with X-Token and JSON allowed", Main, "/exact/a", Allow(preflights: 1)) { Method = "PUT", Body = "{}", Headers = [("X-Token", "t"), ("Content-Type", Json)] },
        new("preflight GET with X-Token allowed", Main, "/exact/a", Allow(preflights: 1)) { Headers = Token },
        new("preflight PATCH allowed", Main, "/exact/a", Allow(preflights: 1)) { Method = "PATCH" },
        new("preflight lower-case patch is not PATCH", Main, "/exact/a", Block(MethodDisallowedByPreflightResponse, 1)) { Method = "patch" },
        new("preflight DELETE not allowed", Main, "/exact/a", Block(MethodDisallowedByPreflightResponse, 1)) { Method = "DELETE" },
        new("preflight X-Other header not allowed", Main, "/exact/a", Block(HeaderDisallowedByPreflightResponse, 1)) { Method = "PUT", Headers = [("X-Other", "1")] },
        new("preflight Authorization not listed", Main, "/exact/a", Block(HeaderDisallowedByPreflightResponse, 1)) { Headers = [("Authorization", "Bearer t")] },
        new("preflight Range bytes=-200 is not safelisted", Main, "/exact/a", Block(HeaderDisallowedByPreflightResponse, 1)) { Headers = [("Range", "bytes=-200")] },
        new("preflight Accept over 128 bytes is not safelisted", Main, "/exact/a", Block(HeaderDisallowedByPreflightResponse, 1)) { Headers = [("Accept", "text/" + new string('a', 130))] },
        new("preflight Accept with an unsafe byte", Main, "/exact/a", Block(HeaderDisallowedByPreflightResponse, 1)) { Headers = [("Accept", "text/{html}")] },
        new("preflight Range with a list is not safelisted", Main, "/exact/a", Block(HeaderDisallowedByPreflightResponse, 1)) { Headers = [("Range", "bytes=100-200,300-400")] },
        new("simple POST multipart/form-data set by script", Main, "/exact/a", Allow()) { Method = "POST", Body = "x", Headers = [("Content-Type", "multipart/form-data")] },
        new("preflight from another port: no ACAO", OtherPort, "/exact/a", Block(MissingAllowOrigin, 1)) { Method = "PUT", Headers = Token },

        // Credentials: cookies go only with include; the preflight never carries them.
        new("credentials include sends the cookie", Main, "/creds/a", Allow(body: MatrixApi.Cookie, reads: [("x-total-count", "2"), ("x-secret", null)])) { Credentials = CredentialsMode.Include },
        new("credentials same-origin sends no cookie cross-origin", Main, "/creds/a", Allow(body: "\"cookie\":null", reads: [("x-total-count", "2")])),
        new("credentials omit sends no cookie", Main, "/creds/a", Allow(body: "\"cookie\":null")) { Credentials = CredentialsMode.Omit },
        new("credentials include with no cookie for the path", Main, "/account/a", Allow(body: "\"cookie\":null")) { Credentials = CredentialsMode.Include },
        new("credentials include PUT: preflight without cookie, request with", Main, "/creds/a", Allow(preflights: 1, body: MatrixApi.Cookie)) { Method = "PUT", Headers = Token, Credentials = CredentialsMode.Include },
        new("credentials include DELETE", Main, "/creds/a", Allow(preflights: 1, body: "\"method\":\"DELETE\"")) { Method = "DELETE", Credentials = CredentialsMode.Include },
        new("credentials include with Authorization listed", Main, "/creds/a", Allow(preflights: 1, body: MatrixApi.Cookie)) { Headers = [("Authorization", "Bearer t")], Credentials = CredentialsMode.Include },
        new("credentials include PATCH not allowed", Main, "/creds/a", Block(MethodDisallowedByPreflightResponse, 1)) { Method = "PATCH", Credentials = CredentialsMode.Include },
        new("credentials include X-Other not allowed", Main, "/creds/a", Block(HeaderDisallowedByPreflightResponse, 1)) { Method = "PUT", Headers = [("X-Other", "1")], Credentials = CredentialsMode.Include },
        new("credentials include from another port", OtherPort, "/creds/a", Block(MissingAllowOrigin)) { Credentials = CredentialsMode.Include },

        // '*' without credentials: anyone reads, every header exposed.
        new("any origin GET from the page", Main, "/public/a", Allow(reads: [("x-total-count", "2"), ("x-secret", "hidden")])),
        new("any origin GET from localhost", Localhost, "/public/a", Allow()),
        new("any origin GET from another port", OtherPort, "/public/a", Allow()),
        new("any origin GET from a sandboxed iframe", Sandboxed, "/public/a", Allow()),
        new("any origin PUT with any header", Main, "/public/a", Allow(preflights: 1)) { Method = "PUT", Headers = [("X-Anything", "1")] },
        new("any origin Authorization echoed by name", Main, "/public/a", Allow(preflights: 1)) { Headers = [("Authorization", "Bearer t")] },
        new("any origin lower-case patch echoed", Main, "/public/a", Allow(preflights: 1, body: "\"method\":\"patch\"")) { Method = "patch" },
        new("any origin with credentials include", Main, "/public/a", Block(WildcardOriginWithCredentials)) { Credentials = CredentialsMode.Include },
        new("any origin preflight with credentials include", Main, "/public/a", Block(WildcardOriginWithCredentials, 1)) { Method = "PUT", Credentials = CredentialsMode.Include },

        // Wildcard subdomains and regular expressions.
        new("wildcard from app.localhost", Subdomain, "/wildcard/a", Allow()),
        new("wildcard from deep.app.localhost", DeepSubdomain, "/wildcard/a", Allow()),
        new("wildcard PUT from a subdomain", Subdomain, "/wildcard/a", Allow(preflights: 1)) { Method = "PUT", Headers = Token },
        new("wildcard refuses the apex localhost", Localhost, "/wildcard/a", Block(MissingAllowOrigin)),
        new("wildcard refuses 127.0.0.1", Main, "/wildcard/a", Block(MissingAllowOrigin)),
        new("regex from 127.0.0.1", Main, "/regex/a", Allow()),
        new("regex from localhost", Localhost, "/regex/a", Allow()),
        new("regex refuses another port", OtherPort, "/regex/a", Block(MissingAllowOrigin)),
        new("regex is anchored: refuses a subdomain", Subdomain, "/regex/a", Block(MissingAllowOrigin)),

        // The opaque origin: Origin: null from a sandboxed iframe.
        new("null policy from a sandboxed iframe", Sandboxed, "/opaque/a", Allow(body: "\"origin\":\"null\"")),
        new("null policy PUT from a sandboxed iframe", Sandboxed, "/opaque/a", Allow(preflights: 1)) { Method = "PUT", Headers = Token },
        new("null policy refuses a real origin", Main, "/opaque/a", Block(MissingAllowOrigin)),
        new("exact policy refuses a sandboxed iframe", Sandboxed, "/exact/a", Block(MissingAllowOrigin)),

        // The preflight cache: count preflights on the server.
        new("max-age 600: the second PUT sends no preflight", Main, "/maxage/a", Allow(preflights: 1)) { Method = "PUT", Headers = Token, Times = 2 },
        new("max-age 0: every PUT is preflighted", Main, "/maxage-zero/a", Allow(preflights: 2)) { Method = "PUT", Headers = Token, Times = 2 },
        new("no max-age: the 5 s default covers the second PUT", Main, "/exact/a", Allow(preflights: 1)) { Method = "PUT", Headers = Token, Times = 2 },

        // A handler that throws: the 500 reaches script, with its body.
        new("throwing handler: the 500 reaches script", Main, "/exact/throws", Allow(status: 500, body: ProblemBody)),
        new("throwing handler after a preflight", Main, "/exact/throws", Allow(preflights: 1, status: 500, body: ProblemBody)) { Method = "PUT", Headers = Token },
        new("throwing handler with credentials", Main, "/creds/throws", Allow(status: 500, body: ProblemBody)) { Credentials = CredentialsMode.Include },
        new("throwing handler, disallowed origin: a CORS error", OtherPort, "/exact/throws", Block(MissingAllowOrigin)),

        // Redirects.
        new("redirect within the API", Main, "/exact/redirect?to=/exact/target", Allow(body: "\"route\":\"exact\"", redirected: true)),
        new("redirect to a route without CORS", Main, "/exact/redirect?to=/nocors/target", Block(MissingAllowOrigin)),
        new("cross-origin redirect taints the origin: null allowed", Main, "/exact/redirect?to={api-localhost}/opaque/target", Allow(body: "\"origin\":\"null\"", redirected: true)),
        new("cross-origin redirect taints the origin: exact refuses null", Main, "/exact/redirect?to={api-localhost}/exact/target", Block(MissingAllowOrigin)),
        new("307 redirect of a preflighted PUT is preflighted again", Main, "/exact/redirect?status=307&to=/exact/target", Allow(preflights: 2, body: "\"method\":\"PUT\"", redirected: true)) { Method = "PUT", Headers = Token },
        new("a preflight answered with a redirect", Main, "/raw/a?acao={page}&acam=PUT&pf-status=307&pf-location=/exact/a", Block(PreflightRedirect, 1)) { Method = "PUT" },

        // A handler that set Access-Control-Allow-Origin itself: CorsKit adds no second value.
        new("handler's own ACAO *: allowed, one value", Main, "/exact/self-acao", Allow()),
        new("handler's own ACAO * is replaced: another origin is blocked", OtherPort, "/exact/self-acao", Block(MissingAllowOrigin)),
        new("handler's own ACAO * with credentials include: replaced by the policy's answer", Main, "/creds/self-acao", Allow()) { Credentials = CredentialsMode.Include },
        new("handler's own ACAO origin with credentials: CorsKit completes ACAC", Main, "/creds/self-acao-origin", Allow()) { Credentials = CredentialsMode.Include },

        // Deliberately broken servers (/raw): each of Chromium's messages.
        new("raw ACAO with a trailing slash", Main, "/raw/a?acao={page}/", Block(AllowOriginMismatch)),
        new("raw two ACAO lines with the same value", Main, "/raw/a?acao={page}&acao={page}", Block(MultipleAllowOriginValues)),
        new("raw ACAO null for a real origin", Main, "/raw/a?acao=null", Block(AllowOriginMismatch)),
        new("raw ACAO that is not a URL", Main, "/raw/a?acao=corskit", Block(InvalidAllowOrigin)),
        new("raw ACAO with an upper-case scheme", Main, "/raw/a?acao=HTTP://127.0.0.1:{page-port}", Block(AllowOriginMismatch)),
        new("raw ACAO of another host", Main, "/raw/a?acao=http://localhost:{page-port}", Block(AllowOriginMismatch)),
        new("raw ACAO * from a sandboxed iframe", Sandboxed, "/raw/a?acao=*", Allow()),
        new("raw ACAC True with credentials", Main, "/raw/a?acao={page}&acac=True", Block(InvalidAllowCredentials)) { Credentials = CredentialsMode.Include },
        new("raw ACAC missing with credentials", Main, "/raw/a?acao={page}", Block(InvalidAllowCredentials)) { Credentials = CredentialsMode.Include },
        new("raw ACAC missing without credentials is fine", Main, "/raw/a?acao={page}", Allow(reads: [("x-secret", null)])),
        new("raw ACEH * with credentials exposes nothing extra", Main, "/raw/a?acao={page}&acac=true&aceh=*", Allow(reads: [("x-secret", null), ("x-total-count", null)])) { Credentials = CredentialsMode.Include },
        new("raw ACEH * without credentials exposes everything", Main, "/raw/a?acao={page}&aceh=*", Allow(reads: [("x-secret", "hidden")])),
        new("raw preflight 500 with ACAO", Main, "/raw/a?acao={page}&acam=PUT&pf-status=500", Block(PreflightInvalidStatus, 1)) { Method = "PUT" },
        new("raw preflight 500 without ACAO", Main, "/raw/a?pf-status=500", Block(MissingAllowOrigin, 1)) { Method = "PUT" },
        new("raw Allow-Methods 'GET POST' is not a token list", Main, "/raw/a?acao={page}&acam=GET%20POST", Block(InvalidAllowMethodsPreflightResponse, 1)) { Method = "PUT" },
        new("raw Allow-Headers 'x-token x-other' is not a token list", Main, "/raw/a?acao={page}&acam=PUT&acah=x-token%20x-other", Block(InvalidAllowHeadersPreflightResponse, 1)) { Method = "PUT", Headers = Token },
        new("raw Allow-Headers in another case than the request's", Main, "/raw/a?acao={page}&acam=PUT&acah=X-TOKEN", Allow(preflights: 1)) { Method = "PUT", Headers = [("x-token", "t")] },
        new("raw Allow-Headers * covers Authorization", Main, "/raw/a?acao={page}&acah=*", Allow(preflights: 1)) { Headers = [("Authorization", "Bearer t")] },
        new("raw Allow-Headers * is a literal name with credentials", Main, "/raw/a?acao={page}&acac=true&acah=*", Block(HeaderDisallowedByPreflightResponse, 1)) { Headers = Token, Credentials = CredentialsMode.Include },
        new("raw Allow-Methods * without credentials", Main, "/raw/a?acao={page}&acam=*", Allow(preflights: 1)) { Method = "PUT" },
        new("raw Allow-Methods * is a literal name with credentials", Main, "/raw/a?acao={page}&acac=true&acam=*", Block(MethodDisallowedByPreflightResponse, 1)) { Method = "PUT", Credentials = CredentialsMode.Include },
        new("raw preflight redirect without ACAO: the redirect is named first", Main, "/raw/a?pf-status=307&pf-location=/exact/a", Block(PreflightRedirect, 1)) { Method = "PUT" },
        new("raw max-age -5 caches nothing", Main, "/raw/a?acao={page}&acam=PUT&acma=-5", Allow(preflights: 2)) { Method = "PUT", Times = 2 },

        // Chromium and WebKit read a max-age that is not a number as absent (5 s); Firefox does not cache it.
        new Scenario("raw max-age not a number: the 5 s default, none in Firefox", Main, "/raw/a?acao={page}&acam=PUT&acma=soon", Allow(preflights: 1)) { Method = "PUT", Times = 2 }
            .In(BrowserEngine.Firefox, Allow(preflights: 2)),
        new("raw two headers not allowed: Chromium names one of them", Main, "/raw/a?acao={page}&acam=PUT&acah=x-token", Block(HeaderDisallowedByPreflightResponse, 1)) { Method = "PUT", Headers = [("X-Zeta", "1"), ("X-Token", "t"), ("X-Alpha", "1")] },
        new("raw preflight passes, the response lacks ACAO", Main, "/raw/a?pf-acao={page}&acam=PUT", Block(MissingAllowOrigin, 1)) { Method = "PUT" },

        // XMLHttpRequest: its own message prefix, withCredentials, upload listeners, refused headers.
        new("XHR GET allowed", Main, "/exact/a", Allow(body: "\"route\":\"exact\"")) { Initiator = RequestInitiator.XmlHttpRequest },
        new("XHR GET from another port", OtherPort, "/exact/a", Block(MissingAllowOrigin)) { Initiator = RequestInitiator.XmlHttpRequest },
        new("XHR PUT with X-Other not allowed", Main, "/exact/a", Block(HeaderDisallowedByPreflightResponse, 1)) { Method = "PUT", Headers = [("X-Other", "1")], Initiator = RequestInitiator.XmlHttpRequest },
        new("XHR withCredentials GET sends the cookie", Main, "/creds/a", Allow(body: MatrixApi.Cookie, reads: [("x-total-count", "2"), ("x-secret", null)])) { Credentials = CredentialsMode.Include, Initiator = RequestInitiator.XmlHttpRequest },
        new("XHR withCredentials to any origin", Main, "/public/a", Block(WildcardOriginWithCredentials)) { Credentials = CredentialsMode.Include, Initiator = RequestInitiator.XmlHttpRequest },
        new("XHR withCredentials with ACAC True", Main, "/raw/a?acao={page}&acac=True", Block(InvalidAllowCredentials)) { Credentials = CredentialsMode.Include, Initiator = RequestInitiator.XmlHttpRequest },
        new("XHR ACAO of another host", Main, "/raw/a?acao=http://localhost:{page-port}", Block(AllowOriginMismatch)) { Initiator = RequestInitiator.XmlHttpRequest },
        new("XHR upload listener forces a preflight", Main, "/exact/a", Allow(preflights: 1, body: "\"body\":\"x\"")) { Method = "POST", Body = "x", UploadListener = true, Initiator = RequestInitiator.XmlHttpRequest },
        new("XHR forbidden header refused", Main, "/exact/a", Allow(body: "\"cookie\":null")) { Headers = [("Cookie", "forged=1")], Initiator = RequestInitiator.XmlHttpRequest },
        new("XHR forbidden header refused, then blocked", OtherPort, "/exact/a", Block(MissingAllowOrigin)) { Headers = [("Cookie", "forged=1")], Initiator = RequestInitiator.XmlHttpRequest },
    ];

    /// <summary>The scenario named <paramref name="name"/>.</summary>
    /// <param name="name">A name from <see cref="All"/>.</param>
    public static Scenario Find(string name) => All.Single(s => s.Name == name);
}
