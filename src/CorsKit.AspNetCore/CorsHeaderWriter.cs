using CorsKit.Evaluation;
using CorsKit.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace CorsKit.AspNetCore;

/// <summary>Writes a <see cref="CorsDecision"/> to a response's headers and merges <c>Vary</c>.</summary>
internal static class CorsHeaderWriter
{
    // Each VaryOn flag and the header it names, in the order they are listed in Vary.
    private static readonly (VaryOn Flag, string Name)[] VaryNames =
    [
        (VaryOn.Origin, CorsHeaderNames.Origin),
        (VaryOn.RequestMethod, CorsHeaderNames.AccessControlRequestMethod),
        (VaryOn.RequestHeaders, CorsHeaderNames.AccessControlRequestHeaders),
    ];

    // The Vary value of every combination of flags, indexed by the flags.
    private static readonly string[] VaryValues = [.. Enumerable.Range(0, 8).Select(i => Names((VaryOn)i, StringValues.Empty))];

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

        var missing = Names(vary, existing);
        if (missing.Length > 0)
        {
            headers.Vary = string.Join(", ", existing.Append(missing).Where(v => !string.IsNullOrWhiteSpace(v)));
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

    // The names of the flags set in vary, except those already listed, joined by ", ". No lambda: one capturing the
    // existing value made MergeVary allocate its closure on every call, before the early return.
    private static string Names(VaryOn vary, StringValues alreadyListed)
    {
        var names = new List<string>(VaryNames.Length);
        foreach (var (flag, name) in VaryNames)
        {
            if ((vary & flag) != 0 && !Lists(alreadyListed, name))
            {
                names.Add(name);
            }
        }

        return string.Join(", ", names);
    }
}
