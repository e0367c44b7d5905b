using System.Collections.Concurrent;
using PypiLocal.Core.Catalog;

namespace PypiLocal.Core.Tests.Support;

/// <summary>A fake repository for unit tests: keeps files and their bytes in memory, honouring the contract's outcomes.</summary>
public sealed class InMemoryRepository : IPackageRepository
{
    private readonly ConcurrentDictionary<(string Project, string Filename), (DistributionFile File, byte[] Bytes, byte[]? Metadata, byte[]? Provenance)> _files = new();

    public IReadOnlyList<NewDistribution> Added { get; private set; } = [];

    public byte[]? BytesOf(string project, string filename) => _files.TryGetValue((project, filename), out var f) ? f.Bytes : null;

    public DistributionFile? FileOf(string project, string filename) => _files.TryGetValue((project, filename), out var f) ? f.File : null;

    public void Seed(DistributionFile file, byte[] bytes) => _files[(file.Project, file.Filename)] = (file, bytes, null, null);

    public Task<IReadOnlyList<ProjectSummary>> ListProjectsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ProjectSummary>>(_files.Keys.Select(k => k.Project).Distinct().Select(p => new ProjectSummary(p, p)).ToList());

    public Task<ProjectListing?> GetProjectAsync(string project, CancellationToken cancellationToken)
    {
        var files = _files.Values.Where(f => f.File.Project == project).Select(f => f.File).ToList();
        return Task.FromResult(files.Count == 0 ? null : new ProjectListing(project, project, files));
    }

    public ValueTask<DownloadTarget?> GetDownloadAsync(string project, string filename, DownloadPart part, CancellationToken cancellationToken) =>
        ValueTask.FromResult<DownloadTarget?>(part == DownloadPart.File && _files.TryGetValue((project, filename), out var kept)
            ? new StreamDownload(_ => Task.FromResult<Stream>(new MemoryStream(kept.Bytes, writable: false)), kept.Bytes.Length, kept.File.UploadTime, $"\"{kept.File.Digests.Sha256}\"")
            : null);

    public Task<byte[]?> ReadCoreMetadataAsync(string project, string filename, CancellationToken cancellationToken) =>
        Task.FromResult<byte[]?>(null);

    public Task<byte[]?> ReadProvenanceAsync(string project, string filename, CancellationToken cancellationToken) =>
        Task.FromResult(_files.TryGetValue((project, filename), out var f) ? f.Provenance : null);

    public Task<AddOutcome> AddAsync(NewDistribution distribution, bool overwrite, CancellationToken cancellationToken)
    {
        Added = [.. Added, distribution];
        var key = (distribution.File.Project, distribution.File.Filename);
        var bytes = File.ReadAllBytes(distribution.StagedPath);
        if (_files.TryGetValue(key, out var existing))
        {
            if (existing.File.Digests.Sha256 == distribution.File.Digests.Sha256)
            {
                return Task.FromResult(AddOutcome.Identical);
            }

            if (!overwrite)
            {
                return Task.FromResult(AddOutcome.Conflict);
            }

            _files[key] = (distribution.File, bytes, distribution.CoreMetadata, distribution.Provenance);
            return Task.FromResult(AddOutcome.Replaced);
        }

        _files[key] = (distribution.File, bytes, distribution.CoreMetadata, distribution.Provenance);
        return Task.FromResult(AddOutcome.Created);
    }

    public Task<bool> RemoveAsync(string project, string filename, CancellationToken cancellationToken) =>
        Task.FromResult(_files.TryRemove((project, filename), out _));

    public Task<bool> SetYankedAsync(string project, string filename, bool yanked, string? reason, CancellationToken cancellationToken)
    {
        if (!_files.TryGetValue((project, filename), out var entry))
        {
            return Task.FromResult(false);
        }

        _files[(project, filename)] = entry with { File = entry.File with { Yanked = yanked, YankedReason = reason } };
        return Task.FromResult(true);
    }
}
