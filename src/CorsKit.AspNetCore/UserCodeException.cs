namespace CorsKit.AspNetCore;

/// <summary>
/// What is logged of an exception thrown by the app's code (a policy provider, an origin predicate, a hook). Its message
/// may carry request values (an origin, a path), so one that is not short printable ASCII is escaped like any request
/// value, and cannot forge log lines: the exception is then logged as this copy, with the original's type, escaped
/// message and stack trace. An exception whose messages are already safe is logged as it is.
/// </summary>
internal sealed class UserCodeException : Exception
{
    private readonly string _type;
    private readonly string? _stackTrace;

    private UserCodeException(Exception source)
        : base(LogValue.Safe(source.Message), source.InnerException is null ? null : Of(source.InnerException))
    {
        _type = source.GetType().FullName ?? source.GetType().Name;
        _stackTrace = source.StackTrace;
    }

    public override string? StackTrace => _stackTrace;

    /// <summary>The exception to log for <paramref name="exception"/>: itself when every message in it is safe.</summary>
    public static Exception Of(Exception exception) => IsSafe(exception) ? exception : new UserCodeException(exception);

    public override string ToString() =>
        $"{_type} (message escaped by CorsKit): {Message}" + (InnerException is null ? string.Empty : $" ---> {InnerException}") + Environment.NewLine + _stackTrace;

    private static bool IsSafe(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (!ReferenceEquals(LogValue.Safe(exception.Message), exception.Message) || exception is AggregateException)
            {
                return false;
            }
        }

        return true;
    }
}
