using System.Collections.Concurrent;
using PypiLocal.Core.Catalog;
using PypiLocal.Protocol.Filenames;

namespace PypiLocal.Infrastructure.Tests.Caching;

/// <summary>
/// A fake of our own repository interface standing in for the shared bucket: every "node" reads the same one.
/// Renders can be slowed down to widen races, and storage reads are counted.
/// </summary>
internal sealed class SharedCatalog : IPackageRepository
{
    private readonly ConcurrentDictionary<string, ImmutableFiles> _projects = new(StringComparer.Ordinal);
    private long _reads;

    public TimeSpan ReadDelay { get; set; }

    public long Reads => Interlocked.Read(ref _reads);

    public static string Filename(string project, string version) => $"{project.Replace('-', '_')}-{version}-py3-none-any.whl";

    /// <summary>Adds a file as an upload would store it (the caller then invalidates, as the upload service does).</summary>
    public void Add(string project, string version)
    {
        var file = new DistributionFile(project, Filename(project, version), version, DistributionKind.Wheel, 100, new FileDigests(new string('a', 64)), DateTimeOffset.UnixEpoch);
        _projects.AddOrUpdate(project, _ => new ImmutableFiles([file]), (_, files) => new ImmutableFiles([.. files.Files, file]));
    }

    public async Task<IReadOnlyList<ProjectSummary>> ListProjectsAsync(CancellationToken cancellationToken)
    {
        await ReadAsync(cancellationToken);
        return _projects.Keys.Order(StringComparer.Ordinal).Select(p => new ProjectSummary(p, p)).ToList();
    }

    public async Task<ProjectListing?> GetProjectAsync(string project, CancellationToken cancellationToken)
    {
        // Read the state first, then wait: a render that started before an upload returns the old listing.
        var files = _projects.GetValueOrDefault(project);
        await ReadAsync(cancellationToken);
        return files is null ? null : new ProjectListing(project, project, files.Files);
    }

    public ValueTask<DownloadTarget?> GetDownloadAsync(string project, string filename, DownloadPart part, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<byte[]?> ReadCoreMetadataAsync(string project, string filename, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<byte[]?> ReadProvenanceAsync(string project, string filename, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<AddOutcome> AddAsync(NewDistribution distribution, bool overwrite, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<bool> RemoveAsync(string project, string filename, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<bool> SetYankedAsync(string project, string filename, bool yanked, string? reason, CancellationToken cancellationToken) => throw new NotSupportedException();

    private async Task ReadAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        if (ReadDelay > TimeSpan.Zero)
        {
            await Task.Delay(ReadDelay, cancellationToken);
        }
    }

    private sealed record ImmutableFiles(IReadOnlyList<DistributionFile> Files);
}
