using Microsoft.Extensions.Options;
using PypiLocal.Core.Archives;
using PypiLocal.Core.Hashing;
using PypiLocal.Core.Publishing;
using PypiLocal.Protocol.Filenames;
using PypiLocal.Protocol.Metadata;

namespace PypiLocal.Core.Inspection;

/// <summary>
/// Reads a distribution file once for the index, wherever it comes from (folders, import, reindex, upstream):
/// its digests and its core metadata, through <see cref="ArchiveReader"/> with the configured limits. Unlike an
/// upload it checks no structure rules: a file without metadata is still indexed, without it.
/// </summary>
public sealed class DistributionInspector(IOptions<PublishingOptions> options)
{
    private readonly ArchiveLimits _limits = options.Value.ToArchiveLimits();

    /// <summary>The largest core metadata this index reads, in an archive or as a kept <c>.metadata</c> file.</summary>
    public int MaxMetadataBytes => _limits.MaxMetadataBytes;

    /// <summary>
    /// Inspects a local file. Throws <see cref="ArchiveException"/> when it is not a readable distribution.
    /// <paramref name="linkHash"/> adds sha1 or sha512 to the digests when links carry one.
    /// </summary>
    public async Task<DistributionInspection> InspectAsync(string path, DistributionFilename filename, CancellationToken cancellationToken, LinkHash linkHash = LinkHash.Sha256)
    {
        // FileShare.Delete: a user may remove a file from a watched folder while it is being hashed.
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var digests = await FileDigester.ComputeAsync(file, cancellationToken, linkHash);
        var metadata = await ReadCoreMetadataAsync(file, filename, cancellationToken);
        var parsed = metadata is null ? null : CoreMetadata.Parse(metadata);
        return new DistributionInspection(filename, file.Length, digests, metadata, parsed?.Name, parsed?.Version, parsed?.RequiresPython);
    }

    /// <summary>Reads only the core metadata bytes (no hashing), or null when the file has none.</summary>
    public async Task<byte[]?> ReadCoreMetadataAsync(string path, DistributionFilename filename, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 12, FileOptions.Asynchronous);
        return await ReadCoreMetadataAsync(file, filename, cancellationToken);
    }

    /// <summary>
    /// Reads the core metadata of a distribution given as a stream (a kept upstream file), or null when it has none.
    /// A stream that cannot seek (an object store's) is first copied to a temporary file: archives are read by seeking.
    /// </summary>
    public async Task<byte[]?> ReadCoreMetadataAsync(Stream file, DistributionFilename filename, CancellationToken cancellationToken)
    {
        if (file.CanSeek)
        {
            return await ReadSeekableAsync(file, filename, cancellationToken);
        }

        await using var copy = new FileStream(
            Path.Combine(Path.GetTempPath(), $"pypilocal-inspect-{Guid.NewGuid():N}"),
            FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        await file.CopyToAsync(copy, cancellationToken);
        return await ReadSeekableAsync(copy, filename, cancellationToken);
    }

    private async Task<byte[]?> ReadSeekableAsync(Stream file, DistributionFilename filename, CancellationToken cancellationToken)
    {
        var contents = await ArchiveReader.ReadAsync(file, filename, _limits, cancellationToken);
        return filename.Kind == DistributionKind.Wheel && contents.DistInfoDirectories.Count > 1
            ? throw new ArchiveException("the wheel has more than one .dist-info directory.")
            : contents.Metadata;
    }
}
