namespace PypiLocal.Core.Auth;

/// <summary>Whether a request may go on: allowed, asked for credentials (401), or refused (403).</summary>
public enum AccessResult
{
    Allowed,
    Challenge,
    Forbidden,
}
