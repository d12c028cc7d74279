using System.Globalization;
using System.Text;

namespace CorsKit.Browser.Fixes;

/// <summary>Renders a <see cref="FixPlan"/> as configuration for each framework people serve APIs with.</summary>
public static class FixSnippets
{
    private static readonly (string Key, string Name, Func<FixPlan, string> Render)[] Frameworks =
    [
        ("corskit", "ASP.NET Core (CorsKit)", CorsKit),
        ("microsoft", "ASP.NET Core (Microsoft.AspNetCore.Cors)", Microsoft),
        ("flask", "Flask (flask-cors)", Flask),
        ("express", "Express (cors)", Express),
        ("nginx", "nginx", Nginx),
    ];

    /// <summary>The values <c>--fix-for</c> takes, in the order the snippets are printed.</summary>
    public static IReadOnlyList<string> Keys { get; } = [.. Frameworks.Select(f => f.Key)];

    /// <summary>The framework's name for a <c>--fix-for</c> value (case-insensitive), or <see langword="null"/>.</summary>
    /// <param name="key">The value given.</param>
    public static string? Find(string key) => Frameworks.FirstOrDefault(f => string.Equals(f.Key, key, StringComparison.OrdinalIgnoreCase)).Name;

    /// <summary>
    /// The snippets by framework name, such as <c>ASP.NET Core (CorsKit)</c>: only <paramref name="only"/>'s when given; only CorsKit's when the server named
    /// its CorsKit policy (the others would replace a policy that exists); otherwise every framework's.
    /// </summary>
    /// <param name="plan">The fix.</param>
    /// <param name="only">A value of <see cref="Keys"/>, or <see langword="null"/> for the default choice.</param>
    public static IReadOnlyDictionary<string, string> For(FixPlan plan, string? only = null) =>
        Frameworks
            .Where(f => only is not null ? string.Equals(f.Key, only, StringComparison.OrdinalIgnoreCase) : plan.Policy is null || f.Key == "corskit")
            .ToDictionary(f => f.Name, f => f.Render(plan));

    private static string CorsKit(FixPlan plan) => plan.Policy is { } policy ? Amend(policy) : NewCorsKitPolicy(plan);

    // The smallest change: the server named the policy and what it allows, so add the one missing entry to it.
    private static string Amend(PolicyChange change)
    {
        var call = change.Name == "default" ? "options.AddDefaultPolicy(p => p" : $"options.AddPolicy(\"{change.Name}\", p => p";
        var method = change.Kind switch { PolicyChange.Origin => "WithOrigins", PolicyChange.Method => "WithMethods", _ => "WithHeaders" };
        return $"// policy '{change.Name}' allows {change.Kind}s {change.Allowed}; add {change.Missing} where it is built:\n"
            + $"{call}\n"
            + "    ...                                   // what it has now\n"
            + $"    .{method}(\"{change.Missing}\"));   // added: {method} adds to what the policy has";
    }

    private static string NewCorsKitPolicy(FixPlan plan)
    {
        var text = new StringBuilder();

        // CorsKit refuses "null" with credentials (every sandboxed iframe and data: page sends it), so it is not suggested.
        var opaqueWithCredentials = plan.Origin == Origins.Origin.Null && plan.Credentials;
        if (opaqueWithCredentials)
        {
            text.Append("// CorsKit refuses \"null\" with credentials: any site's sandboxed iframe sends it. Send the request without\n");
            text.Append("// credentials, or give the page a real origin (sandbox=\"allow-scripts allow-same-origin\") and list that origin.\n");
        }

        text.Append("builder.Services.AddCorsKit(o => o.AddDefaultPolicy(p => p\n");
        text.Append(CultureInfo.InvariantCulture, $"    .WithOrigins(\"{plan.Origin}\")");
        AppendDotNetLists(text, opaqueWithCredentials ? plan with { Credentials = false } : plan);
        text.Append("));\n");
        text.Append("app.UseCorsKit();   // anywhere: CorsKit runs outermost, so errors carry the headers too");
        return text.ToString();
    }

    private static string Microsoft(FixPlan plan)
    {
        var text = new StringBuilder();
        text.Append("builder.Services.AddCors(o => o.AddDefaultPolicy(p => p\n");
        text.Append(CultureInfo.InvariantCulture, $"    .WithOrigins(\"{plan.Origin}\")");
        AppendDotNetLists(text, plan);
        text.Append("));\n");
        text.Append("app.UseCors();   // after UseRouting, before UseAuthentication/UseAuthorization; add UseExceptionHandler so 500s keep the headers");
        return text.ToString();
    }

    private static void AppendDotNetLists(StringBuilder text, FixPlan plan)
    {
        if (plan.Methods.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n    .WithMethods({Quoted(plan.Methods)})");
        }

        if (plan.Headers.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n    .WithHeaders({Quoted(plan.Headers)})");
        }

        if (plan.Credentials)
        {
            text.Append("\n    .AllowCredentials()");
        }
    }

    private static string Flask(FixPlan plan) =>
        "from flask_cors import CORS\n"
        + $"CORS(app, {Arguments(plan, '"', "origins=", "methods=", "allow_headers=", "supports_credentials=True")})\n"
        + "# keep debug off to see the headers on 500s: flask-cors skips them when the exception propagates";

    private static string Express(FixPlan plan) =>
        "const cors = require('cors');\n"
        + $"app.use(cors({{ {Arguments(plan, '\'', "origin: ", "methods: ", "allowedHeaders: ", "credentials: true")} }}));   // before the routes and before auth";

    // The keyword arguments of flask-cors and the options of Express cors name the same four settings.
    private static string Arguments(FixPlan plan, char quote, string origins, string methods, string headers, string credentials)
    {
        var args = new List<string> { $"{origins}[{Quoted(plan.Origin, quote)}]" };
        if (plan.Methods.Count > 0)
        {
            args.Add($"{methods}[{Quoted(["GET", "HEAD", "POST", .. plan.Methods], quote)}]");
        }

        if (plan.Headers.Count > 0)
        {
            args.Add($"{headers}[{Quoted(plan.Headers, quote)}]");
        }

        if (plan.Credentials)
        {
            args.Add(credentials);
        }

        return string.Join(", ", args);
    }

    private static string Nginx(FixPlan plan)
    {
        var text = new StringBuilder();
        text.Append("# http { }\n");
        text.Append("map $http_origin $cors_origin {\n    default \"\";\n");
        text.Append(CultureInfo.InvariantCulture, $"    \"{plan.Origin}\" $http_origin;\n}}\n");
        text.Append("# server { location ... { }\n");
        text.Append("add_header Access-Control-Allow-Origin $cors_origin always;\n");
        if (plan.Credentials)
        {
            text.Append("add_header Access-Control-Allow-Credentials \"true\" always;\n");
        }

        if (plan.Methods.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"add_header Access-Control-Allow-Methods \"{string.Join(", ", plan.Methods)}\" always;\n");
        }

        if (plan.Headers.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"add_header Access-Control-Allow-Headers \"{string.Join(", ", plan.Headers)}\" always;\n");
        }

        text.Append("add_header Vary Origin always;\n");
        text.Append("proxy_hide_header Access-Control-Allow-Origin;   # never pass a second value from the app\n");
        text.Append("if ($request_method = OPTIONS) { return 204; }");
        return text.ToString();
    }

    private static string Quoted(IEnumerable<string> values, char quote = '"') => string.Join(", ", values.Select(v => Quoted(v, quote)));

    private static string Quoted(string value, char quote = '"') => $"{quote}{value}{quote}";
}
