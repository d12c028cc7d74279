using CorsKit.Evaluation;
using CorsKit.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace CorsKit.AspNetCore;

/// <summary>Writes a <see cref="CorsDecision"/> to a response's headers and merges <c>Vary</c>.</summary>
internal static class CorsHeaderWriter
{
    private static readonly string[] VaryValues = BuildVaryValues();

    public static void Write(in CorsDecision decision, IHeaderDictionary headers)
    {
        if (decision.AllowOrigin is { } allowOrigin)
        {
            headers.AccessControlAllowOrigin = allowOrigin;
            if (decision.AllowCredentials)
            {
                headers.AccessControlAllowCredentials = "true";
            }

            if (decision.AllowMethods is { } methods)
            {
                headers.AccessControlAllowMethods = methods;
            }

            if (decision.AllowHeaders is { } allowHeaders)
            {
                headers.AccessControlAllowHeaders = allowHeaders;
            }

            if (decision.ExposeHeaders is { } expose)
            {
                headers.AccessControlExposeHeaders = expose;
            }

            if (decision.MaxAge is { } maxAge)
            {
                headers.AccessControlMaxAge = maxAge;
            }

            if (decision.AllowPrivateNetwork)
            {
                headers[CorsHeaderNames.AccessControlAllowPrivateNetwork] = "true";
            }
        }

        MergeVary(headers, decision.Vary);
    }

    /// <summary>Adds the names in <paramref name="vary"/> to <c>Vary</c>: appended to what the app set, never duplicated.</summary>
    public static void MergeVary(IHeaderDictionary headers, VaryOn vary)
    {
        if (vary == VaryOn.None)
        {
            return;
        }

        var existing = headers.Vary;
        if (existing.Count == 0)
        {
            headers.Vary = VaryValues[(int)vary];
            return;
        }

        var missing = new List<string>(3);
        foreach (var (flag, name) in new[] { (VaryOn.Origin, CorsHeaderNames.Origin), (VaryOn.RequestMethod, CorsHeaderNames.AccessControlRequestMethod), (VaryOn.RequestHeaders, CorsHeaderNames.AccessControlRequestHeaders) })
        {
            if ((vary & flag) != 0 && !Lists(existing, name))
            {
                missing.Add(name);
            }
        }

        if (missing.Count > 0)
        {
            headers.Vary = string.Join(", ", existing.Concat(missing).Where(v => !string.IsNullOrWhiteSpace(v)));
        }
    }

    // Vary: * already varies on everything.
    private static bool Lists(StringValues values, string name)
    {
        foreach (var value in values)
        {
            foreach (var part in (value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (part == "*" || string.Equals(part, name, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static string[] BuildVaryValues()
    {
        var values = new string[8];
        for (var i = 1; i < values.Length; i++)
        {
            var names = new List<string>(3);
            if ((i & (int)VaryOn.Origin) != 0)
            {
                names.Add(CorsHeaderNames.Origin);
            }

            if ((i & (int)VaryOn.RequestMethod) != 0)
            {
                names.Add(CorsHeaderNames.AccessControlRequestMethod);
            }

            if ((i & (int)VaryOn.RequestHeaders) != 0)
            {
                names.Add(CorsHeaderNames.AccessControlRequestHeaders);
            }

            values[i] = string.Join(", ", names);
        }

        return values;
    }
}
