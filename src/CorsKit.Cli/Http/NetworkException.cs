namespace CorsKit.Cli.Http;

/// <summary>A request could not be completed (DNS, refused, TLS, timeout); the message is one line for people.</summary>
internal sealed class NetworkException : Exception
{
    public NetworkException()
    {
    }

    public NetworkException(string message)
        : base(message)
    {
    }

    public NetworkException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
