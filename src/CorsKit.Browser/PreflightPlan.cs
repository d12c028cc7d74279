using CorsKit.Http;

namespace CorsKit.Browser;

/// <summary>
/// Whether a browser sends a CORS preflight before a request, why, and exactly what the preflight carries
/// (Fetch, sections 4.1 "main fetch" step "use-CORS-preflight flag" and 4.8 "CORS-preflight fetch").
/// Assumes no cached preflight covers the request (a first request, or one after the cache expired).
/// </summary>
public sealed class PreflightPlan
{
    private PreflightPlan(BrowserRequest request, string method, string origin, bool isCrossOrigin, ScriptHeaders headers, IReadOnlyList<string> unsafeNames, IReadOnlyList<string> reasons)
    {
        Request = request;
        Method = method;
        Origin = origin;
        IsCrossOrigin = isCrossOrigin;
        RequestHeaders = headers.Headers;
        DroppedHeaders = headers.Dropped;
        UnsafeHeaderNames = unsafeNames;
        Reasons = reasons;
        AccessControlRequestHeaders = unsafeNames.Count == 0 ? null : string.Join(',', unsafeNames);
        List<HeaderField> preflight =
        [
            new("Accept", "*/*"),
            new(CorsHeaderNames.AccessControlRequestMethod, method),
        ];
        if (AccessControlRequestHeaders is not null)
        {
            preflight.Add(new(CorsHeaderNames.AccessControlRequestHeaders, AccessControlRequestHeaders));
        }

        preflight.Add(new(CorsHeaderNames.Origin, origin));
        Headers = preflight;
    }

    /// <summary>The request planned for.</summary>
    public BrowserRequest Request { get; }

    /// <summary>The method as the browser sends it (normalized: <c>delete</c> becomes <c>DELETE</c>, <c>patch</c> stays).</summary>
    public string Method { get; }

    /// <summary>The <c>Origin</c> the browser sends: the page origin, or <c>null</c> when opaque or tainted by a redirect.</summary>
    public string Origin { get; }

    /// <summary>The request's credentials mode; the preflight is checked with it too, though it never carries credentials.</summary>
    public CredentialsMode Credentials => Request.Credentials;

    /// <summary>Whether the request is cross-origin (or its origin is tainted), so CORS applies at all.</summary>
    public bool IsCrossOrigin { get; }

    /// <summary>Whether a preflight is sent: cross-origin and at least one <see cref="Reasons"/>.</summary>
    public bool IsRequired => IsCrossOrigin && Reasons.Count > 0;

    /// <summary>
    /// Why a preflight is needed, one line per cause, such as <c>method PUT is not CORS-safelisted</c>,
    /// <c>header x-token is not CORS-safelisted</c> or <c>content-type application/json is not a CORS-safelisted value</c>.
    /// Empty when none is.
    /// </summary>
    public IReadOnlyList<string> Reasons { get; }

    /// <summary>The header list the browser sends with the request: forbidden headers dropped, values trimmed, same-name values joined by <c>", "</c>.</summary>
    public IReadOnlyList<HeaderField> RequestHeaders { get; }

    /// <summary>The forbidden headers the script set and the browser dropped, as the script wrote the names.</summary>
    public IReadOnlyList<string> DroppedHeaders { get; }

    /// <summary>The request's CORS-unsafe header names: lower-cased, de-duplicated, sorted.</summary>
    public IReadOnlyList<string> UnsafeHeaderNames { get; }

    /// <summary>The <c>Access-Control-Request-Headers</c> value (names joined by <c>,</c> with no spaces), or <see langword="null"/> when the preflight has none.</summary>
    public string? AccessControlRequestHeaders { get; }

    /// <summary>
    /// The CORS headers of the preflight (<c>OPTIONS</c> to the same URL), in the order Chromium sends them: <c>Accept: */*</c>,
    /// <c>Access-Control-Request-Method</c>, <c>Access-Control-Request-Headers</c> when there are unsafe headers, <c>Origin</c>.
    /// Never cookies or HTTP authentication. (The browser adds <c>User-Agent</c>, <c>Sec-Fetch-*</c> and the like too.)
    /// </summary>
    public IReadOnlyList<HeaderField> Headers { get; }

    /// <summary>Plans the preflight of <paramref name="request"/>.</summary>
    /// <param name="request">The request as the script makes it.</param>
    public static PreflightPlan For(BrowserRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var url = BrowserUrl.Parse(request.Url, nameof(request));
        var pageOrigin = BrowserUrl.SerializeOrigin(request.Origin);
        var origin = request.OriginTainted ? Origins.Origin.Null : pageOrigin;
        var isCrossOrigin = request.OriginTainted || !string.Equals(BrowserUrl.OriginOf(url), pageOrigin, StringComparison.Ordinal);

        var method = Safelist.NormalizeMethod(request.Method);
        var headers = ScriptHeaders.Prepare(request.Headers);
        var unsafeNames = Safelist.CorsUnsafeRequestHeaderNames(headers.Headers);

        var reasons = new List<string>();
        if (!Safelist.IsCorsSafelistedMethod(method))
        {
            reasons.Add($"method {method} is not CORS-safelisted");
        }

        var total = headers.Headers.Where(h => Safelist.IsCorsSafelistedRequestHeader(h.Name, h.Value)).Sum(h => h.Value.Length);
        foreach (var name in unsafeNames)
        {
            var value = headers.Headers.First(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Value;
            reasons.Add(DescribeUnsafe(name, value, total));
        }

        if (request.Initiator == RequestInitiator.XmlHttpRequest && request.HasUploadListeners)
        {
            reasons.Add("XMLHttpRequest has upload listeners");
        }

        return new PreflightPlan(request, method, origin, isCrossOrigin, headers, unsafeNames, reasons);
    }

    private static string DescribeUnsafe(string name, string value, int safelistedTotal)
    {
        if (name is not ("accept" or "accept-language" or "content-language" or "content-type" or "range" or "dpr" or "device-memory"
            or "downlink" or "width" or "viewport-width" or "rtt" or "save-data" or "ect" or "intervention"))
        {
            return $"header {name} is not CORS-safelisted";
        }

        if (value.Length > Safelist.MaxSafelistedValueLength)
        {
            return $"{name} value is longer than {Safelist.MaxSafelistedValueLength} bytes";
        }

        return Safelist.IsCorsSafelistedRequestHeader(name, value)
            ? $"{name} counts towards CORS-safelisted values of {safelistedTotal} bytes, more than {Safelist.MaxSafelistedValuesTotal}"
            : $"{name} {value} is not a CORS-safelisted value";
    }
}
