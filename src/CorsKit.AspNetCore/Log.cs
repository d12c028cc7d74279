using CorsKit.AspNetCore.Hooks;
using CorsKit.Evaluation;
using Microsoft.Extensions.Logging;

namespace CorsKit.AspNetCore;

/// <summary>
/// Every log line CorsKit writes, with stable event ids. Values that come from the request (origins, header names) are
/// structured arguments passed through <see cref="LogValue.Safe"/>, never concatenated into the message.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "CORS request from origin {Origin} allowed by policy {PolicyName} (preflight: {IsPreflight})")]
    public static partial void Allowed(ILogger logger, string? origin, string policyName, bool isPreflight);

    // Events 2, 3, 4, 9, 20 and 30 can be caused by any client, many times a second: their level comes from a LogBudget.
    [LoggerMessage(EventId = 2, Message = "CORS request from origin {Origin} rejected by policy {PolicyName}: {Reason} {RejectedValue} (preflight: {IsPreflight})")]
    public static partial void Rejected(ILogger logger, LogLevel level, string? origin, string policyName, RejectionReason reason, string? rejectedValue, bool isPreflight);

    [LoggerMessage(EventId = 3, Message = "CORS rejected (debug mode): {Explanation}")]
    public static partial void RejectedExplained(ILogger logger, LogLevel level, string explanation);

    [LoggerMessage(EventId = 4, Message = "The origin check of CORS policy {PolicyName} failed for origin {Origin}; the origin was refused (fail closed)")]
    public static partial void OriginCheckFailed(ILogger logger, LogLevel level, Exception exception, string policyName, string? origin);

    [LoggerMessage(5, LogLevel.Warning, "{Endpoint} set {Header}: {Value} itself, which contradicts CorsKit's answer (policy {PolicyName}); CorsKit removed it and sent its own. Let the CorsKit policy decide. Logged once per endpoint.")]
    public static partial void AccessControlHeaderOverruled(ILogger logger, string endpoint, string header, string? value, string policyName);

    [LoggerMessage(6, LogLevel.Error, "Unhandled exception for {Method} {Path}; CorsKit answered 500 with the CORS headers of the request's policy, if one applies, so the browser shows the error, not a CORS failure")]
    public static partial void UnhandledException(ILogger logger, Exception exception, string method, string path);

    // A Warning without the exception: the server logs the exception itself (once, at Error) as it ends the response.
    [LoggerMessage(7, LogLevel.Warning, "Exception for {Method} {Path} after the response had started: nothing can be added to a started response, so the server ends it incomplete (the connection is closed before the end of the body) and the client sees a failed request, not a truncated success; the server logs the exception")]
    public static partial void ExceptionAfterResponseStarted(ILogger logger, string method, string path);

    [LoggerMessage(8, LogLevel.Debug, "Preflight for {Path} answered by CorsKit with {StatusCode} (policy {PolicyName})")]
    public static partial void PreflightAnswered(ILogger logger, string path, int statusCode, string policyName);

    [LoggerMessage(EventId = 9, Message = "The CORS policy provider {PolicyName} failed for {Method} {Path}; the response was sent without CORS headers (fail closed)")]
    public static partial void PolicyProviderFailed(ILogger logger, LogLevel level, Exception exception, string policyName, string method, string path);

    [LoggerMessage(10, LogLevel.Debug, "{Method} {Path}: the client went away while CorsKit waited for {What}; nothing was sent")]
    public static partial void RequestAborted(ILogger logger, string method, string path, string what);

    [LoggerMessage(11, LogLevel.Error, "Unhandled exception for {Method} {Path}; the server refused CorsKit's 500 ({WriteFailure}: an OnStarting callback of the app threw, for example), so the server answered 500 itself, without CORS headers: the browser reports a CORS error")]
    public static partial void ErrorResponseFailed(ILogger logger, Exception exception, string method, string path, string writeFailure);

    [LoggerMessage(12, LogLevel.Warning, "CORS policy {PolicyName} accepts an origin regex that needs .NET's backtracking engine (AllowBacktrackingOriginRegex()): each distinct origin may cost up to {TimeoutMs} ms of CPU before the match is abandoned and the origin refused; prefer patterns the linear-time engine takes")]
    public static partial void BacktrackingRegexAccepted(ILogger logger, string policyName, double timeoutMs);

    [LoggerMessage(31, LogLevel.Information, "CORS policies reloaded from configuration: {PolicyNames}")]
    public static partial void ConfigurationReloaded(ILogger logger, string policyNames);

    [LoggerMessage(32, LogLevel.Error, "A configuration edit was refused; CorsKit keeps serving the policies it had until a valid edit follows: {Refusal}")]
    public static partial void ConfigurationReloadRefused(ILogger logger, string refusal);

    [LoggerMessage(EventId = 20, Message = "After-request hook {Hook} ({Scope}) threw for {Method} {Path}; it was skipped, and the other hooks still run and the response still goes out with the CORS headers")]
    public static partial void AfterRequestHookFailed(ILogger logger, LogLevel level, Exception exception, AfterRequestScope scope, string hook, string method, string path);

    [LoggerMessage(EventId = 30, Message = "WebSocket handshake from origin {Origin} to {Path} refused with 403 by UseWebSocketOrigins(\"{PolicyName}\"): {Reason}")]
    public static partial void WebSocketOriginRefused(ILogger logger, LogLevel level, Exception? exception, string? origin, string path, string policyName, string reason);

    [LoggerMessage(40, LogLevel.Information, "Origin source {Source} read: {Tenants} tenants, {Origins} origins")]
    public static partial void OriginSourceRead(ILogger logger, string source, int tenants, long origins);

    [LoggerMessage(41, LogLevel.Warning, "Origin source {Source} refused {Count} stored entries, which are not allowed; the first: tenant {Tenant}, {Entry}: {Reason}")]
    public static partial void OriginEntriesRefused(ILogger logger, string source, int count, string tenant, string entry, string reason);

    [LoggerMessage(42, LogLevel.Warning, "Origin source {Source} cannot read its store; it serves its copy, last read at {LastReadAt:O}, until {FailClosedAt:O} (MaxStaleness after the copy turned stale), then refuses its origins (fail closed). Logged once per outage.")]
    public static partial void OriginSourceStale(ILogger logger, Exception exception, string source, DateTimeOffset lastReadAt, DateTimeOffset failClosedAt);

    [LoggerMessage(43, LogLevel.Error, "Origin source {Source} has served its copy, read at {LastReadAt:O}, for its MaxStaleness ({MaxStaleness}) without reaching its store; its origins are refused (fail closed) until the store can be read. Logged once per outage.")]
    public static partial void OriginSourceFailedClosed(ILogger logger, string source, DateTimeOffset lastReadAt, TimeSpan maxStaleness);

    [LoggerMessage(44, LogLevel.Error, "Origin source {Source} cannot read its store at startup and has no copy young enough to serve (a snapshot, OriginSourceOptions.SnapshotPath, or a copy another host in the process read, within MaxStaleness); its origins are refused (fail closed) until the store can be read, retried every {RetryInterval}")]
    public static partial void OriginSourceUnavailableAtStartup(ILogger logger, Exception exception, string source, TimeSpan retryInterval);

    [LoggerMessage(45, LogLevel.Warning, "Origin source {Source} cannot read its store at startup; it serves the snapshot {Path} saved at {SavedAt:O} ({Tenants} tenants, {Origins} origins) until {FailClosedAt:O}, then refuses its origins (fail closed)")]
    public static partial void OriginSourceStartedFromSnapshot(ILogger logger, Exception exception, string source, string path, DateTimeOffset savedAt, int tenants, long origins, DateTimeOffset failClosedAt);

    [LoggerMessage(46, LogLevel.Information, "Origin source {Source} can read its store again and is current: {Tenants} tenants, {Origins} origins")]
    public static partial void OriginSourceRecovered(ILogger logger, string source, int tenants, long origins);

    [LoggerMessage(47, LogLevel.Warning, "Origin source {Source} could not save or read its snapshot {Path}")]
    public static partial void OriginSnapshotFailed(ILogger logger, Exception exception, string source, string path);

    [LoggerMessage(48, LogLevel.Debug, "Origin source {Source}: tenant {Tenant} read again, {Origins} origins")]
    public static partial void OriginTenantRead(ILogger logger, string source, string tenant, int origins);

    [LoggerMessage(49, LogLevel.Warning, "Origin source {Source} could not subscribe to its store's change notifications; until it can (retried with each read) changes arrive with the full read every {ResyncInterval}")]
    public static partial void OriginSourceWatchFailed(ILogger logger, Exception exception, string source, TimeSpan resyncInterval);

    [LoggerMessage(50, LogLevel.Warning, "Origin source {Source} did not stop within the host's shutdown timeout and 1 s: a call to its store (a read, or the subscription to its change notifications) ignored its cancellation. It is left to end on its own and changes nothing when it does")]
    public static partial void OriginSourceStopAbandoned(ILogger logger, string source);

    [LoggerMessage(53, LogLevel.Warning, "Origin source {Source} could not end its subscription to its store's change notifications as the host stopped: {Reason}. It is left as it is")]
    public static partial void OriginSourceSubscriptionNotEnded(ILogger logger, Exception? exception, string source, string reason);

    [LoggerMessage(51, LogLevel.Warning, "Policy provider {Provider} returned a policy drawing from origin source {Source}, which nothing reads: no registered or endpoint policy of a running host draws from it, so its origins are refused. Draw from it in a named policy (options.AddPolicy) so CorsKit reads it at startup and keeps it current. Logged once per provider")]
    public static partial void ProviderSourceNotRead(ILogger logger, string provider, string source);

    [LoggerMessage(52, LogLevel.Warning, "Policy provider {Provider} returned a policy drawing from origin source {Source}, which no running host keeps current: it serves the copy a host that has stopped left, last read at {LastReadAt:O}, unrefreshed, until {RefusedFrom:O} (MaxStaleness after it turned stale: when that host stopped keeping it current, or when its store stopped answering), and then refuses its origins. Draw from it in a named policy (options.AddPolicy) so CorsKit reads it at startup and keeps it current. Logged once per provider")]
    public static partial void ProviderSourceLeftBehind(ILogger logger, string provider, string source, DateTimeOffset? lastReadAt, DateTimeOffset? refusedFrom);
}
