namespace PypiLocal.Core.Auth;

/// <summary>The answer to "may this request do that": the result, the user when allowed, and a message otherwise.</summary>
public sealed record AccessDecision(AccessResult Result, IndexUser? User, string Message)
{
    public static AccessDecision Allow(IndexUser user) => new(AccessResult.Allowed, user, "");

    /// <summary>For <see cref="AccessResult.Throttled"/>: when to try again.</summary>
    public TimeSpan RetryAfter { get; init; }
}
