namespace PypiLocal.Core.Auth;

/// <summary>Whether a request may go on: allowed, asked for credentials (401), refused (403), or refused for now after too many failed logins (429).</summary>
public enum AccessResult
{
    Allowed,
    Challenge,
    Forbidden,
    Throttled,
}
