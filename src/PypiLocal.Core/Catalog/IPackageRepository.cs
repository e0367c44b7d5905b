namespace PypiLocal.Core.Catalog;

/// <summary>
/// Distribution files and their index entries, whatever the backend (a folder, a bucket).
/// Reads never hash or parse files per request; writes store bytes first and the index entry last,
/// so a failure leaves nothing visible.
/// </summary>
public interface IPackageRepository
{
    /// <summary>Every project with at least one file.</summary>
    Task<IReadOnlyList<ProjectSummary>> ListProjectsAsync(CancellationToken cancellationToken);

    /// <summary>One project's files, or null when the project is unknown. <paramref name="project"/> is normalized.</summary>
    Task<ProjectListing?> GetProjectAsync(string project, CancellationToken cancellationToken);

    /// <summary>
    /// Where to get a file or its core metadata, or null when there is no such file (or no metadata for it). A value task:
    /// what is held in memory is found without allocating, once per download.
    /// </summary>
    ValueTask<DownloadTarget?> GetDownloadAsync(string project, string filename, DownloadPart part, CancellationToken cancellationToken);

    /// <summary>
    /// The bytes of a file's core metadata, read on this node (JSON API, project pages), or null when none is
    /// served. Unlike <see cref="GetDownloadAsync"/> it never answers with a redirect.
    /// </summary>
    Task<byte[]?> ReadCoreMetadataAsync(string project, string filename, CancellationToken cancellationToken);

    /// <summary>
    /// The file's PEP 740 provenance object, or null when it has none. Only bytes whose SHA-256 is the indexed
    /// <see cref="DistributionFile.ProvenanceSha256"/> are answered, so nothing unverified is ever served.
    /// </summary>
    Task<byte[]?> ReadProvenanceAsync(string project, string filename, CancellationToken cancellationToken);

    /// <summary>Stores a checked distribution, then indexes it. The staged file is left for the caller to delete.</summary>
    Task<AddOutcome> AddAsync(NewDistribution distribution, bool overwrite, CancellationToken cancellationToken);

    /// <summary>Removes a file and its index entry. False when there was no such file.</summary>
    Task<bool> RemoveAsync(string project, string filename, CancellationToken cancellationToken);

    /// <summary>Yanks (with an optional reason) or unyanks a file. False when there is no such file.</summary>
    Task<bool> SetYankedAsync(string project, string filename, bool yanked, string? reason, CancellationToken cancellationToken);
}
