namespace PypiLocal.Core.Catalog;

/// <summary>
/// Lowercase hex digests of a file. SHA-256 is always known; MD5 and BLAKE2b-256 when computed by this index (or
/// sent by an old client); SHA-1 and SHA-512 only when <c>Index:HashAlgorithm</c> asks for them in links.
/// Held as bytes (<see cref="HexDigest"/>) and given out as hex, so the facts of every file in memory stay small.
/// </summary>
public sealed record FileDigests(string Sha256, string? Md5 = null, string? Blake2b256 = null, string? Sha1 = null, string? Sha512 = null)
{
    private readonly HexDigest _sha256 = HexDigest.From(Sha256);
    private readonly HexDigest _md5 = HexDigest.From(Md5);
    private readonly HexDigest _blake2b256 = HexDigest.From(Blake2b256);
    private readonly HexDigest _sha1 = HexDigest.From(Sha1);
    private readonly HexDigest _sha512 = HexDigest.From(Sha512);

    public string Sha256 { get => _sha256.Text!; init => _sha256 = HexDigest.From(value); }

    public string? Md5 { get => _md5.Text; init => _md5 = HexDigest.From(value); }

    public string? Blake2b256 { get => _blake2b256.Text; init => _blake2b256 = HexDigest.From(value); }

    public string? Sha1 { get => _sha1.Text; init => _sha1 = HexDigest.From(value); }

    public string? Sha512 { get => _sha512.Text; init => _sha512 = HexDigest.From(value); }

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
