using Microsoft.AspNetCore.Http;

namespace CorsKit.AspNetCore.Hooks;

/// <summary>One after-request hook (Flask's <c>after_request</c>): a callback that may change the response just before it starts.</summary>
internal sealed class AfterRequestHook
{
    private readonly Action<HttpContext>? _hook;
    private readonly Func<HttpContext, Task>? _asyncHook;

    public AfterRequestHook(Action<HttpContext> hook, AfterRequestScope scope)
    {
        ArgumentNullException.ThrowIfNull(hook);
        _hook = hook;
        Scope = scope;
    }

    public AfterRequestHook(Func<HttpContext, Task> hook, AfterRequestScope scope)
    {
        ArgumentNullException.ThrowIfNull(hook);
        _asyncHook = hook;
        Scope = scope;
    }

    /// <summary>Where the hook was registered, for logs.</summary>
    public AfterRequestScope Scope { get; }

    /// <summary>The method the hook calls, such as <c>Program.&lt;Main&gt;b__0_1</c>, for logs.</summary>
    public string Name
    {
        get
        {
            var method = ((Delegate?)_hook ?? _asyncHook!).Method;
            return method.DeclaringType is { } type ? $"{type.Name}.{method.Name}" : method.Name;
        }
    }

    public Task InvokeAsync(HttpContext context)
    {
        if (_hook is not null)
        {
            _hook(context);
            return Task.CompletedTask;
        }

        return _asyncHook!(context);
    }
}
