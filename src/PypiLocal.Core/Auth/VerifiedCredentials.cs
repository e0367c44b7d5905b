using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace PypiLocal.Core.Auth;

/// <summary>
/// Remembers for <see cref="AuthOptions.CredentialCacheTtl"/> that a user name and password were right, so a client
/// that sends them with every request (pip with <c>-a download</c>) costs one bcrypt per minute, not one per request.
/// Keyed by an HMAC of the pair under a key that exists only in this process: the password is never kept, and the
/// key cannot be used to test guesses offline. An entry holds only while its source is the one it was verified
/// against (the loaded passwords file, or the stored account's version), so removing a user or changing a password
/// takes effect at the next request.
/// </summary>
public sealed class VerifiedCredentials(AuthOptions options, TimeProvider time)
{
    private const int MaxEntries = 10_000;
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, (object Source, DateTimeOffset Until)> _entries = new(StringComparer.Ordinal);

    /// <summary>True when this pair was verified against <paramref name="source"/> (the loaded passwords file, or a record's ETag) recently.</summary>
    public bool Contains(string user, string password, object source) =>
        options.CredentialCacheTtl > TimeSpan.Zero
        && _entries.TryGetValue(KeyOf(user, password), out var entry)
        && Equals(entry.Source, source)
        && entry.Until > time.GetUtcNow();

    public void Add(string user, string password, object source)
    {
        if (options.CredentialCacheTtl <= TimeSpan.Zero)
        {
            return;
        }

        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[KeyOf(user, password)] = (source, time.GetUtcNow() + options.CredentialCacheTtl);
    }

    private string KeyOf(string user, string password) =>
        Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(user + "\0" + password)));
}
