namespace CorsKit.Browser;

/// <summary>
/// A model of what Chromium 156 (and, in its messages, Firefox and WebKit) does with a cross-origin request from a page's script (WHATWG Fetch, section 4
/// "Fetching"): whether it preflights, whether it lets the script see the response, and what its console says.
/// Pure: it sends nothing; the caller supplies the server's responses.
/// </summary>
public static class BrowserModel
{
    /// <summary>
    /// Decides <paramref name="request"/> given the server's answers. Pass the preflight response when
    /// <see cref="PreflightPlan.For"/> says one is sent, and the actual response unless the preflight fails.
    /// </summary>
    /// <param name="request">The request as the script makes it.</param>
    /// <param name="preflight">The response to the preflight, or <see langword="null"/> when none is sent.</param>
    /// <param name="actual">The response to the request itself, or <see langword="null"/> when a failed preflight stopped it.</param>
    /// <exception cref="ArgumentException">A forbidden method, a missing preflight response, or a missing actual response after a passing preflight.</exception>
    public static BrowserVerdict Evaluate(BrowserRequest request, BrowserResponse? preflight, BrowserResponse? actual)
    {
        ArgumentNullException.ThrowIfNull(request);
        var plan = PreflightPlan.For(request);
        if (Safelist.IsForbiddenMethod(plan.Method))
        {
            throw new ArgumentException($"{plan.Method} is a forbidden method: fetch() throws a TypeError before sending anything", nameof(request));
        }

        var url = BrowserUrl.Serialize(request.Url);
        var pageOrigin = BrowserUrl.SerializeOrigin(request.Origin);
        var redirectedFrom = request.RedirectedFrom is null ? null : BrowserUrl.Serialize(request.RedirectedFrom);
        var warnings = plan.DroppedHeaders.Select(name => $"{name} is a forbidden request header: the browser drops it and sends the request without it").ToList();
        var console = new List<string>(RefusedHeaderLines(request, plan));

        PreflightCheckResult? preflightResult = null;
        PreflightCacheDurations? cache = null;
        if (plan.IsRequired)
        {
            if (preflight is null)
            {
                throw new ArgumentException($"the browser sends a preflight first ({string.Join("; ", plan.Reasons)}); pass its response", nameof(preflight));
            }

            preflightResult = PreflightCheck.Run(plan, preflight);
            if (!preflightResult.Passed)
            {
                return Blocked(request, plan, preflightResult.Result, preflight, actual, url, pageOrigin, redirectedFrom, warnings, console, preflightResult);
            }

            cache = PreflightCacheDurations.For(preflightResult.MaxAge);
            if (preflightResult.AuthorizationCoveredByWildcard)
            {
                warnings.Add("Authorization passes only because Access-Control-Allow-Headers has '*': Chromium 156 and Firefox still allow it with a deprecation warning, but the Fetch standard and future browsers refuse it; list authorization by name");
            }
        }
        else if (preflight is not null)
        {
            warnings.Add("the browser sends no preflight for this request; the preflight response given was ignored");
        }

        if (actual is null)
        {
            throw new ArgumentException("the browser sends the request itself; pass its response", nameof(actual));
        }

        if (!plan.IsCrossOrigin)
        {
            return new BrowserVerdict(actual.IsRedirect ? BrowserOutcome.Redirected : BrowserOutcome.Allowed, plan, CorsCheckResult.Pass)
            {
                ChromiumConsole = console,
                WebKitConsole = RefusedHeaderLines(request, plan),
                ReadableHeaders = actual.IsRedirect ? [] : Exposure.SameOriginReadableHeaderNames(actual.Headers),
                Warnings = warnings,
                NextRequest = actual.IsRedirect ? Redirect.Follow(request, actual) : null,
            };
        }

        // Fetch 4.3 "HTTP fetch" step 4.4 and 4.4 "HTTP-redirect fetch": every response of a CORS request, redirects included, passes the CORS check.
        var check = CorsCheck.Run(actual.Headers, plan.Origin, request.Credentials);
        if (!check.Passed)
        {
            return Blocked(request, plan, check, preflight, actual, url, pageOrigin, redirectedFrom, warnings, console, preflightResult);
        }

        var refused = RefusedHeaderLines(request, plan);
        var webKit = WebKitMessages.Lines(plan, url, preflight, actual);

        var next = actual.IsRedirect ? Redirect.Follow(request, actual) : null;
        if (next is not null && plan.IsRequired && !PreflightPlan.For(next).IsRequired)
        {
            warnings.Add($"WebKit (Safari) preflights the redirected {Safelist.NormalizeMethod(next.Method)} request too, because the first one needed a preflight; an OPTIONS request that {BrowserUrl.Serialize(next.Url)} does not answer with CORS headers blocks it in Safari only");
        }

        return new BrowserVerdict(actual.IsRedirect ? BrowserOutcome.Redirected : BrowserOutcome.Allowed, plan, check)
        {
            PreflightResult = preflightResult,
            PreflightCache = cache,
            ChromiumConsole = console,
            FirefoxConsole = FirefoxMessages.Lines(plan, url, preflight, actual),
            WebKitMessage = webKit.Count == 0 ? null : webKit[0],
            WebKitConsole = [.. refused, .. webKit],
            ReadableHeaders = actual.IsRedirect ? [] : Exposure.ReadableHeaderNames(actual.Headers, request.Credentials),
            Warnings = warnings,
            NextRequest = next,
        };
    }

    private static BrowserVerdict Blocked(
        BrowserRequest request,
        PreflightPlan plan,
        CorsCheckResult check,
        BrowserResponse? preflight,
        BrowserResponse? actual,
        string url,
        string pageOrigin,
        string? redirectedFrom,
        List<string> warnings,
        List<string> console,
        PreflightCheckResult? preflightResult)
    {
        var message = ChromiumMessages.Blocked(check, url, pageOrigin, request.Initiator, redirectedFrom);
        var webKit = WebKitMessages.Lines(plan, url, preflight, actual);
        console.Add(message);
        if (preflightResult is { DisallowedHeaders.Count: > 1 })
        {
            warnings.Add($"the preflight allows none of {string.Join(", ", preflightResult.DisallowedHeaders)}; Chromium names one of them in an order of its own, not necessarily {preflightResult.DisallowedHeaders[0]}");
        }

        return new BrowserVerdict(BrowserOutcome.Blocked, plan, check)
        {
            PreflightResult = preflightResult,
            ChromiumMessage = message,
            FirefoxConsole = FirefoxMessages.Lines(plan, url, preflight, actual),
            WebKitMessage = webKit.Count == 0 ? null : webKit[0],
            WebKitConsole = [.. RefusedHeaderLines(request, plan), .. webKit],
            ChromiumConsole = console,
            Warnings = warnings,
        };
    }

    // XHR's setRequestHeader() logs each forbidden header it refuses, before send() (Chromium and WebKit alike; fetch() drops them silently).
    private static IReadOnlyList<string> RefusedHeaderLines(BrowserRequest request, PreflightPlan plan) =>
        request.Initiator == RequestInitiator.XmlHttpRequest ? [.. plan.DroppedHeaders.Select(ChromiumMessages.RefusedToSetUnsafeHeader)] : [];
}
