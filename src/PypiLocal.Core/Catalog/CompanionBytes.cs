using System.Security.Cryptography;

namespace PypiLocal.Core.Catalog;

/// <summary>
/// Ties a stored companion object (a <c>.metadata</c>, a <c>.provenance</c>) to its index entry, so a stale or foreign
/// one is never served: its digest is on the index page, and a client checks it.
/// </summary>
internal static class CompanionBytes
{
    /// <summary><paramref name="bytes"/> when their SHA-256 is <paramref name="indexedSha256"/>, else null.</summary>
    public static byte[]? IfIndexed(byte[]? bytes, string indexedSha256) =>
        bytes is not null && Convert.ToHexStringLower(SHA256.HashData(bytes)) == indexedSha256 ? bytes : null;
}
