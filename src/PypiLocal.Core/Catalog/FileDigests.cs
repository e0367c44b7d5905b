namespace PypiLocal.Core.Catalog;

/// <summary>
/// Lowercase hex digests of a file. SHA-256 is always known; MD5 and BLAKE2b-256 when computed by this index (or
/// sent by an old client); SHA-1 and SHA-512 only when <c>Index:HashAlgorithm</c> asks for them in links.
/// </summary>
public sealed record FileDigests(string Sha256, string? Md5 = null, string? Blake2b256 = null, string? Sha1 = null, string? Sha512 = null)
{
    /// <summary>The digest for a link hash algorithm name (md5, sha1, sha256, sha512), or null when it is not known.</summary>
    public string? For(string algorithm) => algorithm switch
    {
        "sha256" => Sha256,
        "md5" => Md5,
        "sha1" => Sha1,
        "sha512" => Sha512,
        _ => null,
    };
}
