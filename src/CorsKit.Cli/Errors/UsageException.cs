namespace CorsKit.Cli.Errors;

/// <summary>The user asked for something corskit cannot do (exit 2); the message is one line for people.</summary>
internal sealed class UsageException : Exception
{
    public UsageException()
    {
    }

    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
