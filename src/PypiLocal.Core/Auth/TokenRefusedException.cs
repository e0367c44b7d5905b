namespace PypiLocal.Core.Auth;

/// <summary>A token request that cannot be done, with the reason for the client.</summary>
public sealed class TokenRefusedException(TokenProblem problem, string message) : Exception(message)
{
    public TokenProblem Problem { get; } = problem;
}
