using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using PypiLocal.Core.Audit;
using PypiLocal.Core.Storage;

namespace PypiLocal.Core.Auth;

/// <summary>
/// Password accounts as one record each at <c>users/{lowercase name}.json</c> under <paramref name="prefix"/>, beside
/// the tokens: in the bucket in the distributed mode, in the state directory in the embedded one. Records are created
/// If-None-Match: * and replaced If-Match on the version read, so two nodes changing one account never silently lose
/// a change; names are unique whatever their case. With <paramref name="seedFile"/> (an htpasswd file), its accounts
/// are copied in once each at first use, so a switch from the file loses none and a removed one does not come back.
/// </summary>
public sealed partial class BlobAccountStore(
    IBlobStore store, string prefix, string? seedFile, TimeProvider time, ILogger<BlobAccountStore> logger, AuditTrail? audit = null)
{
    private readonly string _users = prefix + "users/";

    private readonly OneTimeImport<StoredAccount> _seed = new(
        store, prefix + "imported-users/", seedFile is { } file ? () => FromHtpasswd(file, time.GetUtcNow(), logger) : null, account => KeyName(account.Name));

    /// <summary>Where accounts are kept, for messages.</summary>
    public string Location => store is FolderBlobStore folder ? Path.Combine(folder.Root, _users) : $"{_users} in the bucket";

    /// <summary>Letters, digits and <c>. _ @ + -</c>, starting with a letter or digit, at most 64 characters: safe as a key and in a rights file line.</summary>
    public static bool IsValidName(string? name) => name is not null && ValidName().IsMatch(name);

    /// <summary>The account named exactly <paramref name="name"/>, read from storage now, or null (none, another case, or a damaged record).</summary>
    public async Task<VersionedAccount?> FindAsync(string name, CancellationToken cancellationToken)
    {
        if (!IsValidName(name))
        {
            return null;
        }

        await SeedAsync(cancellationToken);
        return await ReadAsync(KeyOf(name), cancellationToken) is { } found && found.Account.Name == name ? found : null;
    }

    /// <summary>Every readable account, by name.</summary>
    public async Task<IReadOnlyList<StoredAccount>> ListAsync(CancellationToken cancellationToken)
    {
        await SeedAsync(cancellationToken);
        var accounts = new List<StoredAccount>();
        await foreach (var blob in store.ListAsync(_users, cancellationToken))
        {
            if (await ReadAsync(blob.Key, cancellationToken) is { } found)
            {
                accounts.Add(found.Account);
            }
        }

        return accounts.OrderBy(a => a.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>Writes a new account; false when one of that name (in any case) exists.</summary>
    public async Task<bool> CreateAsync(StoredAccount account, CancellationToken cancellationToken)
    {
        await SeedAsync(cancellationToken);
        return await WriteAsync(account, BlobWriteCondition.IfNotExists, cancellationToken);
    }

    /// <summary>Replaces the version read as <paramref name="etag"/>; false when it changed or went meanwhile.</summary>
    public Task<bool> ReplaceAsync(StoredAccount account, string etag, CancellationToken cancellationToken) =>
        WriteAsync(account, BlobWriteCondition.IfMatch(etag), cancellationToken);

    /// <summary>Removes an account's record; true when it was there.</summary>
    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        var key = KeyOf(name);
        var existed = await store.StatAsync(key, cancellationToken) is not null;
        await store.DeleteAsync(key, cancellationToken);
        return existed;
    }

    /// <summary>An htpasswd file's accounts with hashes the index can check; other lines are logged and left out.</summary>
    internal static IEnumerable<StoredAccount> FromHtpasswd(string path, DateTimeOffset now, ILogger logger)
    {
        foreach (var (name, hash) in HtpasswdFile.ReadEntries(path))
        {
            var (account, problem) = FromHtpasswdEntry(name, hash, now, $"import of {Path.GetFileName(path)}");
            if (account is null)
            {
                logger.LogWarning("Not importing account {User} from {File}: {Reason}", name, path, problem);
                continue;
            }

            yield return account;
        }
    }

    /// <summary>One htpasswd line as an account, or the reason it cannot be one.</summary>
    internal static (StoredAccount? Account, string? Problem) FromHtpasswdEntry(string name, string hash, DateTimeOffset now, string by) =>
        !IsValidName(name) ? (null, "not a valid account name (letters, digits, . _ @ + -)")
        : PasswordHash.FromHtpasswd(hash) is not { } kept ? (null, "not a bcrypt, {SHA} or $apr1$ hash")
        : (new StoredAccount(name, kept, now, by), null);

    private static string KeyName(string name) => name.ToLowerInvariant();

    private string KeyOf(string name) => $"{_users}{KeyName(name)}.json";

    private async Task SeedAsync(CancellationToken cancellationToken)
    {
        var imported = await _seed.RunAsync(async (account, token) =>
        {
            if (!await WriteAsync(account, BlobWriteCondition.IfNotExists, token))
            {
                return false;
            }

            await (audit?.RecordAsync(new AuditActor(account.CreatedBy), new AuditChange(AuditAction.UserAdd, Detail: $"account '{account.Name}' ({account.CreatedBy})")) ?? Task.CompletedTask);
            return true;
        }, cancellationToken);
        if (imported > 0)
        {
            logger.LogInformation("Imported {Count} account(s) from {File} into {Location}", imported, seedFile, Location);
        }
    }

    private async Task<VersionedAccount?> ReadAsync(string key, CancellationToken cancellationToken)
    {
        if (await store.ReadVersionAsync(key, cancellationToken) is not { } record)
        {
            return null;
        }

        try
        {
            // The key is the lowercase name: a record naming another account was not written here.
            return JsonSerializer.Deserialize(record.Content, AuthJsonContext.Default.StoredAccount) is { Password: not null } account && IsValidName(account.Name) && KeyOf(account.Name) == key
                ? new VersionedAccount(account, record.ETag)
                : null;
        }
        catch (JsonException e)
        {
            logger.LogWarning("Ignoring the damaged account record {Key}: {Reason}", key, e.Message);
            return null;
        }
    }

    private async Task<bool> WriteAsync(StoredAccount account, BlobWriteCondition condition, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(account, AuthJsonContext.Default.StoredAccount);
        return (await store.PutAsync(KeyOf(account.Name), new MemoryStream(bytes, writable: false), bytes.Length, condition, cancellationToken)).Written;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$")]
    private static partial Regex ValidName();
}
