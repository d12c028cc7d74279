namespace CorsKit.AspNetCore.Hooks;

/// <summary>Where an after-request hook was registered; also the order they run in, first to last.</summary>
internal enum AfterRequestScope
{
    /// <summary><c>context.AfterThisRequest(...)</c>.</summary>
    Request,

    /// <summary><c>.AfterRequest(...)</c> on an endpoint or a controller.</summary>
    Endpoint,

    /// <summary><c>.AfterRequest(...)</c> on a route group.</summary>
    Group,

    /// <summary><c>app.AfterRequest(...)</c>.</summary>
    App,
}
