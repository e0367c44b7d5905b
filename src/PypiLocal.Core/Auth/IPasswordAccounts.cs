namespace PypiLocal.Core.Auth;

/// <summary>
/// Where password accounts come from (<c>Auth:Accounts</c>): the htpasswd file (<see cref="HtpasswdFile"/>) or the
/// store every node shares (<see cref="StoredPasswordAccounts"/>). Asked only for requests that carry credentials.
/// </summary>
public interface IPasswordAccounts
{
    /// <summary>How a client gets an account here, for the 401 that asks for credentials.</summary>
    string HowToLogIn { get; }

    /// <summary>
    /// True when <paramref name="user"/> exists and <paramref name="password"/> is its password, as of now: a password
    /// changed or an account removed anywhere counts at the next call. An unknown user takes as long as a known one.
    /// </summary>
    Task<bool> VerifyAsync(string user, string password, CancellationToken cancellationToken);

    /// <summary>Whether <paramref name="user"/> exists now (the tokens it made work only while it does).</summary>
    Task<bool> ExistsAsync(string user, CancellationToken cancellationToken);
}
