using System.Security.Cryptography;
using PypiLocal.Core.Catalog;

namespace PypiLocal.Core.Hashing;

/// <summary>
/// The digests an index keeps per file (sha256 for pages, md5 and blake2b-256 for the JSON API and upload checks,
/// plus sha1 or sha512 when links are to carry one), computed in one pass over the bytes.
/// </summary>
public sealed class FileDigester : IDisposable
{
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
    private readonly Blake2b256 _blake2 = new();
    private readonly IncrementalHash? _extra;
    private readonly LinkHash _extraKind;

    /// <param name="linkHash">The link hash in use: sha1 and sha512 are computed only when asked for, as they cost a pass each.</param>
    public FileDigester(LinkHash linkHash = LinkHash.Sha256)
    {
        _extraKind = linkHash;
        _extra = linkHash switch
        {
            LinkHash.Sha1 => IncrementalHash.CreateHash(HashAlgorithmName.SHA1),
            LinkHash.Sha512 => IncrementalHash.CreateHash(HashAlgorithmName.SHA512),
            _ => null,
        };
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        _sha256.AppendData(data);
        _md5.AppendData(data);
        _blake2.Append(data);
        _extra?.AppendData(data);
    }

    public FileDigests Finish()
    {
        var extra = _extra is null ? null : Convert.ToHexStringLower(_extra.GetHashAndReset());
        return new FileDigests(
            Convert.ToHexStringLower(_sha256.GetHashAndReset()),
            Convert.ToHexStringLower(_md5.GetHashAndReset()),
            Convert.ToHexStringLower(_blake2.GetHashAndReset()),
            Sha1: _extraKind == LinkHash.Sha1 ? extra : null,
            Sha512: _extraKind == LinkHash.Sha512 ? extra : null);
    }

    /// <summary>Reads <paramref name="stream"/> to its end and returns its digests.</summary>
    public static async Task<FileDigests> ComputeAsync(Stream stream, CancellationToken cancellationToken, LinkHash linkHash = LinkHash.Sha256)
    {
        using var digester = new FileDigester(linkHash);
        var buffer = new byte[1 << 16];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            digester.Append(buffer.AsSpan(0, read));
        }

        return digester.Finish();
    }

    public void Dispose()
    {
        _sha256.Dispose();
        _md5.Dispose();
        _extra?.Dispose();
    }
}
