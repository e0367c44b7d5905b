namespace PypiLocal.Core.Auth;

/// <summary>A new token: its secret, shown once and never stored, and what was stored.</summary>
public sealed record CreatedToken(string Secret, ApiToken Token);
