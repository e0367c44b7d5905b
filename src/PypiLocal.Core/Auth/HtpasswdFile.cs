using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using PypiLocal.Core.IO;

namespace PypiLocal.Core.Auth;

/// <summary>
/// An Apache htpasswd file as pypiserver reads it: <c>user:hash</c> lines with bcrypt (<c>$2y$</c>, <c>$2b$</c>, <c>$2a$</c>),
/// <c>{SHA}</c> or <c>$apr1$</c> hashes. Re-read when it changes (one stat per login), so accounts can be edited while
/// the server runs and a removed user or changed password counts at the next request.
/// </summary>
public sealed class HtpasswdFile(IOptions<AuthOptions> options, TimeProvider? time = null) : IPasswordAccounts
{
    private readonly VerifiedCredentials _verified = new(options.Value, time ?? TimeProvider.System);

    private readonly ReloadingFile<Dictionary<string, string>> _file = new(Parse, []);

    public bool IsConfigured => options.Value.ResolvePasswordsFile() is not null;

    public string HowToLogIn => IsConfigured
        ? "use an account from the passwords file or an API token (user __token__)"
        : "use an API token (user __token__; 'pypilocal token create'), or set Auth:PasswordsFile";

    public Task<bool> VerifyAsync(string user, string password, CancellationToken cancellationToken) => Task.FromResult(Verify(user, password));

    public Task<bool> ExistsAsync(string user, CancellationToken cancellationToken) => Task.FromResult(Load().ContainsKey(user));

    /// <summary>
    /// True when <paramref name="user"/> exists and <paramref name="password"/> matches its hash. An unknown user is
    /// checked against another entry's hash all the same, so the answer takes as long and says nothing about who exists.
    /// </summary>
    public bool Verify(string user, string password)
    {
        var entries = Load();
        if (_verified.Contains(user, password, entries))
        {
            return true;
        }

        if (!entries.TryGetValue(user, out var hash))
        {
            _ = entries.Count > 0 && VerifyHash(password, entries.Values.First());
            return false;
        }

        if (!VerifyHash(password, hash))
        {
            return false;
        }

        _verified.Add(user, password, entries);
        return true;
    }

    /// <summary>Checks a password against one htpasswd hash; unknown formats never match (plain text is refused).</summary>
    [SuppressMessage("Security", "CA5350", Justification = "htpasswd's {SHA} format is SHA-1 by definition; existing files are read as they are.")]
    public static bool VerifyHash(string password, string hash)
    {
        if (hash.StartsWith("$2", StringComparison.Ordinal))
        {
            try
            {
                return BCrypt.Net.BCrypt.Verify(password, hash);
            }
            catch (BCrypt.Net.SaltParseException)
            {
                return false;
            }
        }

        if (hash.StartsWith("{SHA}", StringComparison.Ordinal))
        {
            var computed = Encoding.ASCII.GetBytes(Convert.ToBase64String(SHA1.HashData(Encoding.UTF8.GetBytes(password))));
            return CryptographicOperations.FixedTimeEquals(computed, Encoding.ASCII.GetBytes(hash[5..]));
        }

        return Apr1Crypt.Verify(password, hash);
    }

    /// <summary>The <c>user:hash</c> lines of an htpasswd file, one per user (a later line wins; blank lines and comments skipped).</summary>
    public static IEnumerable<(string User, string Hash)> ReadEntries(string path) => Parse(path).Select(e => (e.Key, e.Value));

    private Dictionary<string, string> Load() => _file.Read(options.Value.ResolvePasswordsFile());

    private static Dictionary<string, string> Parse(string path)
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (line.Length == 0 || line.StartsWith('#') || colon <= 0)
            {
                continue;
            }

            entries[line[..colon]] = line[(colon + 1)..];
        }

        return entries;
    }
}
