using CorsKit.Evaluation;

namespace CorsKit.Reliability.Tests.BadInput;

/// <summary>
/// One malformed or hostile request and the answer it must get. <see cref="Cors"/>: whether Access-Control-* headers are
/// expected; <see cref="Logged"/>: the rejection CorsKit must log, or <see langword="null"/> when Kestrel refuses the request
/// before any middleware runs (then with a 4xx of its own, and CorsKit logs nothing).
/// </summary>
public sealed record BadInputCase(string Name, string Method, string Path, (string Name, string Value)[] Headers, int Status, bool Cors, RejectionReason? Logged)
{
    public override string ToString() => Name;
}
