using System.Security.Cryptography;
using PypiLocal.Core.Catalog;

namespace PypiLocal.Core.Hashing;

/// <summary>
/// The three digests an index keeps per file (sha256 for pages, md5 and blake2b-256 for the JSON API and
/// upload checks), computed in one pass over the bytes.
/// </summary>
public sealed class FileDigester : IDisposable
{
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
    private readonly Blake2b256 _blake2 = new();

    public void Append(ReadOnlySpan<byte> data)
    {
        _sha256.AppendData(data);
        _md5.AppendData(data);
        _blake2.Append(data);
    }

    public FileDigests Finish() => new(
        Convert.ToHexStringLower(_sha256.GetHashAndReset()),
        Convert.ToHexStringLower(_md5.GetHashAndReset()),
        Convert.ToHexStringLower(_blake2.GetHashAndReset()));

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
