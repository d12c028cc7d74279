namespace CorsKit.Sources;

/// <summary>How current an <see cref="OriginSource"/>'s local copy is.</summary>
public enum OriginSourceStatus
{
    /// <summary>Not loaded yet: its origins are refused (fail closed).</summary>
    Starting,

    /// <summary>Loaded, and the store answered the last read.</summary>
    Current,

    /// <summary>The store cannot be read: the last known copy is served until <see cref="OriginSourceOptions.MaxStaleness"/> has passed.</summary>
    Stale,

    /// <summary>The copy is older than <see cref="OriginSourceOptions.MaxStaleness"/>, or was never loaded: its origins are refused until the store answers again.</summary>
    FailedClosed,
}
