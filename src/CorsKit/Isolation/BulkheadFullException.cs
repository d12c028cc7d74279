namespace CorsKit.Isolation;

/// <summary>
/// User code (an origin predicate, a policy provider) was not called because <see cref="UserCodeBulkhead.MaxCallsInFlight"/>
/// calls were already in flight: the request was answered fail-closed at once. The message names the bound.
/// </summary>
public sealed class BulkheadFullException : Exception
{
    /// <summary>Creates the exception.</summary>
    public BulkheadFullException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What was refused, and the bound.</param>
    public BulkheadFullException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What was refused, and the bound.</param>
    /// <param name="innerException">The cause.</param>
    public BulkheadFullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The bound that was reached: how many calls were in flight.</summary>
    public int CallsInFlight { get; init; }
}
