using CorsKit.Policies;

namespace CorsKit.Tests.Policies;

public sealed class CorsPolicyExceptionTests
{
    [Fact]
    public void Constructor_OneProblem_MessageIsSingleLine()
    {
        // Act
        var ex = new CorsPolicyException("spa", ["max-age -00:00:01 must be zero or more whole seconds"]);

        // Assert
        Assert.Equal("CORS policy 'spa': max-age -00:00:01 must be zero or more whole seconds", ex.Message);
        Assert.Equal("spa", ex.PolicyName);
        Assert.Equal(["max-age -00:00:01 must be zero or more whole seconds"], ex.Problems);
    }

    [Fact]
    public void Constructor_SeveralProblems_MessageIsABulletList()
    {
        // Arrange
        var nl = Environment.NewLine;

        // Act
        var ex = new CorsPolicyException("spa", ["first", "second"]);

        // Assert
        Assert.Equal($"CORS policy 'spa' has 2 problems:{nl}- first{nl}- second", ex.Message);
        Assert.Equal(["first", "second"], ex.Problems);
    }

    [Fact]
    public void Constructor_MessageOnly_IsItsOwnSingleProblem()
    {
        // Act
        var ex = new CorsPolicyException("policy 'x' is not registered");

        // Assert
        Assert.Equal("policy 'x' is not registered", ex.Message);
        Assert.Equal(["policy 'x' is not registered"], ex.Problems);
        Assert.Null(ex.PolicyName);
    }

    [Fact]
    public void Constructor_MessageAndCause_KeepsBoth()
    {
        // Arrange
        var cause = new FormatException("bad");

        // Act
        var ex = new CorsPolicyException("config is invalid", cause);

        // Assert
        Assert.Equal("config is invalid", ex.Message);
        Assert.Same(cause, ex.InnerException);
        Assert.Equal(["config is invalid"], ex.Problems);
    }

    [Fact]
    public void Constructor_NoArguments_HasNoProblems()
    {
        // Act
        var ex = new CorsPolicyException();

        // Assert
        Assert.Empty(ex.Problems);
        Assert.Null(ex.PolicyName);
    }
}
