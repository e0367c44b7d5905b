using System.Security.Cryptography;

namespace PypiLocal.Core.Catalog;

/// <summary>Ties a stored provenance object to its index entry, so a stale or foreign one is never served.</summary>
internal static class ProvenanceBytes
{
    /// <summary><paramref name="bytes"/> when their SHA-256 is <paramref name="indexedSha256"/>, else null.</summary>
    public static byte[]? IfIndexed(byte[]? bytes, string indexedSha256) =>
        bytes is not null && Convert.ToHexStringLower(SHA256.HashData(bytes)) == indexedSha256 ? bytes : null;
}
