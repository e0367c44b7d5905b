namespace PypiLocal.Core.Auth;

/// <summary>A password account kept in the store (<c>Auth:Accounts=store</c>): its name, its password's hash, and who made and last changed it.</summary>
/// <param name="Name">The account name as typed at login (rights are granted to it).</param>
/// <param name="Password">The hash; never the password.</param>
/// <param name="Created">When it was made.</param>
/// <param name="CreatedBy">Who made it: an account, a token's name, the operator at the command line, or an import.</param>
/// <param name="Changed">When its password was last set, or null when never since it was made.</param>
/// <param name="ChangedBy">Who set it then.</param>
public sealed record StoredAccount(
    string Name,
    PasswordHash Password,
    DateTimeOffset Created,
    string CreatedBy,
    DateTimeOffset? Changed = null,
    string? ChangedBy = null);
