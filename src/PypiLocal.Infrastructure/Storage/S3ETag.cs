using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace PypiLocal.Infrastructure.Storage;

/// <summary>
/// What an S3 ETag says about an object's bytes. AWS S3, MinIO, Ceph and moto give a plain object the quoted hex
/// MD5 of its bytes, and a multipart object the MD5 of its parts' binary MD5s with "-{parts}" appended; stores
/// that encrypt with their own keys give something else, and then nothing can be concluded from it.
/// </summary>
internal static class S3ETag
{
    /// <summary>The ETag a plain PUT of bytes with this MD5 gets.</summary>
    public static string ForObject(byte[] md5) => $"\"{Convert.ToHexStringLower(md5)}\"";

    /// <summary>The ETag a multipart upload of parts with these MD5s gets.</summary>
    [SuppressMessage("Security", "CA5351", Justification = "S3 defines a multipart ETag as the MD5 of the parts' MD5s; not a security use.")]
    public static string ForMultipart(IReadOnlyList<byte[]> partMd5s) =>
        $"\"{Convert.ToHexStringLower(MD5.HashData(partMd5s.SelectMany(m => m).ToArray()))}-{partMd5s.Count}\"";

    /// <summary>True when <paramref name="etag"/> has the MD5 form, so it can be compared with a computed one.</summary>
    public static bool IsDigest(string? etag)
    {
        var value = etag?.Trim('"');
        if (string.IsNullOrEmpty(value) || value.Length < 32 || !value[..32].All(char.IsAsciiHexDigit))
        {
            return false;
        }

        return value.Length == 32 || (value[32] == '-' && value[33..].All(char.IsAsciiDigit) && value.Length > 33);
    }

    /// <summary>True when both are MD5-form ETags and differ: the store holds other bytes than the ones meant.</summary>
    public static bool Contradicts(string? stored, string expected) =>
        IsDigest(stored) && !string.Equals(stored!.Trim('"'), expected.Trim('"'), StringComparison.OrdinalIgnoreCase);

    /// <summary>True when the stored ETag is exactly the expected MD5-form one.</summary>
    public static bool Confirms(string? stored, string expected) =>
        IsDigest(stored) && string.Equals(stored!.Trim('"'), expected.Trim('"'), StringComparison.OrdinalIgnoreCase);
}
