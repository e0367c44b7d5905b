namespace PypiLocal.Core.Auth;

/// <summary>An account change that cannot be done, with the reason for the client (never a password).</summary>
public sealed class AccountRefusedException(AccountProblem problem, string message) : Exception(message)
{
    public AccountProblem Problem { get; } = problem;
}
