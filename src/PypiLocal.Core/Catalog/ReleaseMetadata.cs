using PypiLocal.Protocol.Metadata;

namespace PypiLocal.Core.Catalog;

/// <summary>
/// Which file's core metadata describes a release, for the JSON API and the project pages alike: the newest
/// wheel that serves metadata. Sdist-only releases have none (docs/protocol.md#core-metadata-file).
/// </summary>
public static class ReleaseMetadata
{
    public static DistributionFile? FileOf(IEnumerable<DistributionFile> releaseFiles) =>
        releaseFiles.Where(f => f.CoreMetadataSha256 is not null).OrderByDescending(f => f.UploadTime).FirstOrDefault();

    /// <summary>The release's metadata, read on this node, or null when none is served.</summary>
    public static async Task<CoreMetadata?> ReadAsync(IPackageRepository repository, string project, IEnumerable<DistributionFile> releaseFiles, CancellationToken cancellationToken) =>
        FileOf(releaseFiles) is { } file && await repository.ReadCoreMetadataAsync(project, file.Filename, cancellationToken) is { } bytes
            ? CoreMetadata.Parse(bytes)
            : null;
}
