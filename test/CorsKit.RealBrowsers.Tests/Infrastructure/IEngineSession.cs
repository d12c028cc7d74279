namespace CorsKit.RealBrowsers.Tests.Infrastructure;

/// <summary>One running browser with one tab: it opens a page, and its console is read as the page runs.</summary>
public interface IEngineSession : IAsyncDisposable
{
    /// <summary>The console lines of the tab and its frames, in order.</summary>
    ConsoleLog Console { get; }

    /// <summary>Opens <paramref name="url"/> in the tab; returns once the browser has taken the address, not when the page is done.</summary>
    /// <param name="url">The address.</param>
    Task OpenAsync(Uri url);
}
