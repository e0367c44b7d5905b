namespace PypiLocal.Core.Auth;

/// <summary>Why an account change was refused: a malformed request (400), rights the caller lacks (403), no such account (404), or a clash with the stored state (409).</summary>
public enum AccountProblem
{
    Invalid,
    Forbidden,
    NotFound,
    Conflict,
}
