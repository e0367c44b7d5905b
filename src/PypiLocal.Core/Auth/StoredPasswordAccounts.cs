using Microsoft.Extensions.Options;

namespace PypiLocal.Core.Auth;

/// <summary>
/// Password accounts from the store every node shares (<c>Auth:Accounts=store</c>). Each login reads the account's
/// record (one GET; requests without credentials never get here), so an account added, changed or removed through any
/// node or the command line counts everywhere at its next request. A verified password is remembered against the
/// record's ETag, so the slow hash runs once per <c>Auth:CredentialCacheTtl</c>, and a new password or a removal ends
/// that at once, whatever the time left.
/// </summary>
public sealed class StoredPasswordAccounts(BlobAccountStore accounts, IOptions<AuthOptions> options, TimeProvider? time = null) : IPasswordAccounts
{
    private readonly VerifiedCredentials _verified = new(options.Value, time ?? TimeProvider.System);

    // Checked against when the user does not exist, so an unknown name takes as long as a known one.
    private readonly Lazy<PasswordHash> _decoy = new(() => PasswordHash.Create(Guid.NewGuid().ToString(), options.Value.PasswordIterations));

    public string HowToLogIn => "use your account or an API token (user __token__); an admin adds accounts with 'pypilocal user add'";

    public async Task<bool> VerifyAsync(string user, string password, CancellationToken cancellationToken)
    {
        if (await accounts.FindAsync(user, cancellationToken) is not { } found)
        {
            _ = _decoy.Value.Verify(password);
            return false;
        }

        if (_verified.Contains(user, password, found.ETag))
        {
            return true;
        }

        if (!found.Account.Password.Verify(password))
        {
            return false;
        }

        _verified.Add(user, password, found.ETag);
        return true;
    }

    public async Task<bool> ExistsAsync(string user, CancellationToken cancellationToken) => await accounts.FindAsync(user, cancellationToken) is not null;
}
