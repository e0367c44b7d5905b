using System.Security.Cryptography;
using PypiLocal.Core.Catalog;
using Blake2b = NSec.Cryptography.IncrementalHash;
using Blake2bAlgorithm = NSec.Cryptography.HashAlgorithm;

namespace PypiLocal.Core.Hashing;

/// <summary>
/// The three digests an index keeps per file (sha256 for pages, md5 and blake2b-256 for the JSON API and
/// upload checks), computed in one pass over the bytes. .NET has no BLAKE2; libsodium's (through NSec) is the
/// fastest of the maintained ones measured (bench/blake2b.md).
/// </summary>
public sealed class FileDigester : IDisposable
{
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
    private Blake2b _blake2;

    public FileDigester() => Blake2b.Initialize(Blake2bAlgorithm.Blake2b_256, out _blake2);

    public void Append(ReadOnlySpan<byte> data)
    {
        _sha256.AppendData(data);
        _md5.AppendData(data);
        Blake2b.Update(ref _blake2, data);
    }

    public FileDigests Finish() => new(
        Convert.ToHexStringLower(_sha256.GetHashAndReset()),
        Convert.ToHexStringLower(_md5.GetHashAndReset()),
        Convert.ToHexStringLower(Blake2b.Finalize(ref _blake2)));

    /// <summary>The BLAKE2b-256 of <paramref name="data"/> in one call.</summary>
    public static byte[] Blake2b256(ReadOnlySpan<byte> data) => Blake2bAlgorithm.Blake2b_256.Hash(data);

    /// <summary>Reads <paramref name="stream"/> to its end and returns its digests.</summary>
    public static async Task<FileDigests> ComputeAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var digester = new FileDigester();
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
    }
}
