namespace CorsKit.Policies;

/// <summary>
/// A policy that is invalid or insecure. The message names each bad entry and how to fix it; it is thrown by
/// <see cref="CorsPolicyBuilder.Build"/>, so an application with such a policy fails at startup, not at its first request.
/// </summary>
public sealed class CorsPolicyException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CorsPolicyException()
    {
        Problems = [];
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong.</param>
    public CorsPolicyException(string message)
        : base(message)
    {
        Problems = [message];
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public CorsPolicyException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    /// <summary>Creates the exception for a policy and its problems.</summary>
    /// <param name="policyName">The policy.</param>
    /// <param name="problems">Each problem, with its fix.</param>
    public CorsPolicyException(string policyName, IReadOnlyList<string> problems)
        : base(Format(policyName, problems))
    {
        PolicyName = policyName;
        Problems = problems;
    }

    /// <summary>The policy that failed validation.</summary>
    public string? PolicyName { get; }

    /// <summary>Each problem found, with its fix.</summary>
    public IReadOnlyList<string> Problems { get; }

    private static string Format(string policyName, IReadOnlyList<string> problems) =>
        problems.Count == 1
            ? $"CORS policy '{policyName}': {problems[0]}"
            : $"CORS policy '{policyName}' has {problems.Count} problems:{Environment.NewLine}- " + string.Join(Environment.NewLine + "- ", problems);
}
