using CorsKit.Browser;

namespace CorsKit.Cli.Check;

/// <summary>What <c>corskit check</c> was asked to do.</summary>
internal sealed record CheckOptions(Uri Url, string Origin, string Method, IReadOnlyList<HeaderField> Headers, CredentialsMode Credentials, TimeSpan Timeout, bool Insecure);
