namespace PypiLocal.Core.Auth;

/// <summary>Why a token request was refused: a malformed request (400), rights the caller lacks (403), or no such token (404).</summary>
public enum TokenProblem
{
    Invalid,
    Forbidden,
    NotFound,
}
