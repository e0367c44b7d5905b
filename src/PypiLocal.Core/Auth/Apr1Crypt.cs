using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace PypiLocal.Core.Auth;

/// <summary>
/// Apache's <c>$apr1$</c> MD5-crypt (and the original <c>$1$</c>), as <c>htpasswd -m</c> writes it.
/// Weak by today's standards, but pypiserver users' password files are full of it.
/// </summary>
[SuppressMessage("Security", "CA5351", Justification = "$apr1$ and $1$ are MD5-crypt by definition; htpasswd files written with them are read as they are.")]
public static class Apr1Crypt
{
    private const string Itoa64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>Hashes <paramref name="password"/> with <paramref name="salt"/> (at most 8 characters used) and <paramref name="magic"/> ("$apr1$" or "$1$").</summary>
    public static string Hash(string password, string salt, string magic = "$apr1$")
    {
        var pw = Encoding.UTF8.GetBytes(password);
        if (salt.Length > 8)
        {
            salt = salt[..8];
        }

        var saltBytes = Encoding.UTF8.GetBytes(salt);
        var alternate = MD5.HashData([.. pw, .. saltBytes, .. pw]);

        var context = new List<byte>(pw.Length * 3 + 32);
        context.AddRange(pw);
        context.AddRange(Encoding.ASCII.GetBytes(magic));
        context.AddRange(saltBytes);
        for (var left = pw.Length; left > 0; left -= 16)
        {
            context.AddRange(alternate.AsSpan(0, Math.Min(16, left)).ToArray());
        }

        for (var i = pw.Length; i != 0; i >>= 1)
        {
            context.Add((i & 1) != 0 ? (byte)0 : (pw.Length > 0 ? pw[0] : (byte)0));
        }

        var final = MD5.HashData(context.ToArray());
        for (var i = 0; i < 1000; i++)
        {
            var round = new List<byte>(pw.Length * 2 + saltBytes.Length + 32);
            round.AddRange((i & 1) != 0 ? pw : final);
            if (i % 3 != 0)
            {
                round.AddRange(saltBytes);
            }

            if (i % 7 != 0)
            {
                round.AddRange(pw);
            }

            round.AddRange((i & 1) != 0 ? final : pw);
            final = MD5.HashData(round.ToArray());
        }

        var output = new StringBuilder(magic).Append(salt).Append('$');
        To64(output, (final[0] << 16) | (final[6] << 8) | final[12], 4);
        To64(output, (final[1] << 16) | (final[7] << 8) | final[13], 4);
        To64(output, (final[2] << 16) | (final[8] << 8) | final[14], 4);
        To64(output, (final[3] << 16) | (final[9] << 8) | final[15], 4);
        To64(output, (final[4] << 16) | (final[10] << 8) | final[5], 4);
        To64(output, final[11], 2);
        return output.ToString();
    }

    /// <summary>Checks a password against a stored <c>$apr1$salt$hash</c> or <c>$1$salt$hash</c>, in constant time.</summary>
    public static bool Verify(string password, string stored)
    {
        var magic = stored.StartsWith("$apr1$", StringComparison.Ordinal) ? "$apr1$" : stored.StartsWith("$1$", StringComparison.Ordinal) ? "$1$" : null;
        if (magic is null)
        {
            return false;
        }

        var rest = stored[magic.Length..];
        var dollar = rest.IndexOf('$', StringComparison.Ordinal);
        if (dollar < 0)
        {
            return false;
        }

        var computed = Hash(password, rest[..dollar], magic);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(computed), Encoding.ASCII.GetBytes(stored));
    }

    private static void To64(StringBuilder output, int value, int count)
    {
        for (var i = 0; i < count; i++)
        {
            output.Append(Itoa64[value & 0x3f]);
            value >>= 6;
        }
    }
}
