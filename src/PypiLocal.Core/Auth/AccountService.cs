using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PypiLocal.Core.Audit;

namespace PypiLocal.Core.Auth;

/// <summary>
/// Adding, changing, removing, listing and importing stored password accounts, for the HTTP API and the command line.
/// Managing accounts needs the admin right on every project (as reading the audit trail does); an account may also set
/// its own password. Every change goes into the audit trail; no password is ever logged, recorded or answered.
/// Over HTTP this works only with <c>Auth:Accounts=store</c>; the command line may fill the store before the switch.
/// </summary>
public sealed class AccountService(BlobAccountStore store, IOptions<AuthOptions> options, TimeProvider time, ILogger<AccountService> logger, AuditTrail? audit = null)
{
    public const int MinimumPasswordLength = 8;
    public const int MaximumPasswordLength = 1024;

    public async Task<StoredAccount> AddAsync(IndexUser by, string? name, string? password, CancellationToken cancellationToken)
    {
        RequireAdmin(by, "add accounts");
        var valid = ValidName(name);
        var account = new StoredAccount(valid, PasswordHash.Create(ValidPassword(password), options.Value.PasswordIterations), time.GetUtcNow(), by.Name);
        if (!await store.CreateAsync(account, cancellationToken))
        {
            throw new AccountRefusedException(AccountProblem.Conflict, $"An account named '{valid}' exists already (names are unique whatever their case).");
        }

        logger.LogInformation("{User} added account {Account}", by.Name, valid);
        await RecordAsync(by, AuditAction.UserAdd, valid);
        return account;
    }

    /// <summary>Sets a new password, written If-Match on the version read: a change made meanwhile elsewhere is reported, never overwritten.</summary>
    public async Task<StoredAccount> SetPasswordAsync(IndexUser by, string name, string? password, CancellationToken cancellationToken)
    {
        if (by.IsToken || by.Name != name || ReferenceEquals(by, IndexUser.Operator))
        {
            RequireAdmin(by, "set other accounts' passwords");
        }
        else
        {
            RequireStored(by);
        }

        var valid = ValidPassword(password);
        var found = await store.FindAsync(name, cancellationToken) ?? throw NotFound(name);
        var changed = found.Account with { Password = PasswordHash.Create(valid, options.Value.PasswordIterations), Changed = time.GetUtcNow(), ChangedBy = by.Name };
        if (!await store.ReplaceAsync(changed, found.ETag, cancellationToken))
        {
            throw new AccountRefusedException(AccountProblem.Conflict, $"Account '{name}' was changed or removed meanwhile; nothing was written. Try again.");
        }

        logger.LogInformation("{User} set the password of account {Account}", by.Name, name);
        await RecordAsync(by, AuditAction.UserPassword, name);
        return changed;
    }

    /// <summary>Removes an account; its tokens stop working with it.</summary>
    public async Task RemoveAsync(IndexUser by, string name, CancellationToken cancellationToken)
    {
        RequireAdmin(by, "remove accounts");
        if (await store.FindAsync(name, cancellationToken) is null || !await store.DeleteAsync(name, cancellationToken))
        {
            throw NotFound(name);
        }

        logger.LogInformation("{User} removed account {Account}", by.Name, name);
        await RecordAsync(by, AuditAction.UserRemove, name);
    }

    public async Task<IReadOnlyList<StoredAccount>> ListAsync(IndexUser by, CancellationToken cancellationToken)
    {
        RequireAdmin(by, "list accounts");
        return await store.ListAsync(cancellationToken);
    }

    /// <summary>Copies an htpasswd file's accounts in, hashes as they are; accounts that exist already are kept as they are, not replaced.</summary>
    public async Task<AccountImport> ImportAsync(IndexUser by, string path, CancellationToken cancellationToken)
    {
        RequireAdmin(by, "import accounts");
        if (!File.Exists(path))
        {
            throw new AccountRefusedException(AccountProblem.Invalid, $"'{path}' does not exist.");
        }

        var added = new List<string>();
        var skipped = new List<(string, string)>();
        foreach (var (user, hash) in HtpasswdFile.ReadEntries(path))
        {
            var (account, problem) = BlobAccountStore.FromHtpasswdEntry(user, hash, time.GetUtcNow(), by.Name);
            if (account is null)
            {
                skipped.Add((user, problem!));
            }
            else if (!await store.CreateAsync(account, cancellationToken))
            {
                skipped.Add((user, "an account of that name exists (kept as it is)"));
            }
            else
            {
                added.Add(user);
                await RecordAsync(by, AuditAction.UserAdd, user, $"imported from {Path.GetFileName(path)}");
            }
        }

        logger.LogInformation("{User} imported {Count} account(s) from {File}", by.Name, added.Count, path);
        return new AccountImport(added, skipped);
    }

    private void RequireAdmin(IndexUser by, string what)
    {
        RequireStored(by);
        if (!by.Rights.Covers(AccessRight.Admin, ProjectPattern.Everything))
        {
            throw new AccountRefusedException(AccountProblem.Forbidden, $"{(by.IsToken ? "Token" : "User")} '{by.Name}' may not {what}: that needs the admin right on every project.");
        }
    }

    // The command line may fill the store before the switch; over HTTP, accounts the nodes do not read would mislead.
    private void RequireStored(IndexUser by)
    {
        if (!options.Value.AccountsAreStored && !ReferenceEquals(by, IndexUser.Operator))
        {
            throw new AccountRefusedException(AccountProblem.Conflict, "Accounts come from the passwords file here (Auth:Accounts=file); set Auth:Accounts=store to manage them through the index.");
        }
    }

    private static string ValidName(string? name) =>
        BlobAccountStore.IsValidName(name) ? name! : throw new AccountRefusedException(AccountProblem.Invalid,
            $"'{name}' is not a valid account name: 1 to 64 letters, digits and . _ @ + -, starting with a letter or digit.");

    private static string ValidPassword(string? password) =>
        password is { Length: >= MinimumPasswordLength and <= MaximumPasswordLength } ? password : throw new AccountRefusedException(AccountProblem.Invalid,
            $"A password needs {MinimumPasswordLength} to {MaximumPasswordLength} characters.");

    private static AccountRefusedException NotFound(string name) => new(AccountProblem.NotFound, $"No account '{name}'.");

    private Task RecordAsync(IndexUser by, AuditAction action, string account, string? detail = null) =>
        audit?.RecordAsync(by, new AuditChange(action, Detail: detail is null ? $"account '{account}'" : $"account '{account}' ({detail})")) ?? Task.CompletedTask;
}
