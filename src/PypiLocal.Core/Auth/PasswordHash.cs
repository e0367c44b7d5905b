using System.Security.Cryptography;
using System.Text;

namespace PypiLocal.Core.Auth;

/// <summary>
/// A stored account's password hash: PBKDF2-SHA256 with a salt of its own and the iteration count it was made with
/// (so the count can rise for new hashes without breaking old ones), or, for accounts imported from an htpasswd file,
/// that file's hash as it was (bcrypt, <c>{SHA}</c>, <c>$apr1$</c>). Never the password.
/// </summary>
/// <param name="Algorithm"><see cref="Pbkdf2Sha256"/> or <see cref="Htpasswd"/>.</param>
/// <param name="Hash">Base64 of the derived key, or the htpasswd hash.</param>
/// <param name="Salt">Base64 of the salt (PBKDF2 only).</param>
/// <param name="Iterations">PBKDF2's iteration count (PBKDF2 only).</param>
public sealed record PasswordHash(string Algorithm, string Hash, string? Salt = null, int? Iterations = null)
{
    public const string Pbkdf2Sha256 = "pbkdf2-sha256";
    public const string Htpasswd = "htpasswd";

    /// <summary>OWASP's 2023 figure for PBKDF2-HMAC-SHA256; verified passwords are remembered for a while, so this costs once per minute per client.</summary>
    public const int DefaultIterations = 600_000;

    private const int SaltBytes = 16;
    private const int KeyBytes = 32;

    /// <summary>The fewest iterations <c>Auth:PasswordIterations</c> accepts (RFC 8018's floor).</summary>
    public const int MinimumIterations = 1_000;

    public static PasswordHash Create(string password, int iterations = DefaultIterations)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var key = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, KeyBytes);
        return new PasswordHash(Pbkdf2Sha256, Convert.ToBase64String(key), Convert.ToBase64String(salt), iterations);
    }

    /// <summary>An htpasswd hash kept as it is; null for a format the index cannot check (plain text among them).</summary>
    public static PasswordHash? FromHtpasswd(string hash) =>
        hash.StartsWith("$2", StringComparison.Ordinal) || hash.StartsWith("{SHA}", StringComparison.Ordinal) || hash.StartsWith("$apr1$", StringComparison.Ordinal)
            ? new PasswordHash(Htpasswd, hash)
            : null;

    /// <summary>True when <paramref name="password"/> is the one this hash was made from; a damaged record never matches.</summary>
    public bool Verify(string password)
    {
        switch (Algorithm)
        {
            case Pbkdf2Sha256 when Iterations is > 0 and var iterations && Salt is not null:
                try
                {
                    var expected = Convert.FromBase64String(Hash);
                    var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), Convert.FromBase64String(Salt), iterations, HashAlgorithmName.SHA256, expected.Length);
                    return CryptographicOperations.FixedTimeEquals(actual, expected);
                }
                catch (FormatException)
                {
                    return false;
                }

            case Htpasswd:
                return HtpasswdFile.VerifyHash(password, Hash);
            default:
                return false;
        }
    }
}
