using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PypiLocal.Core.Storage;

namespace PypiLocal.Core.Catalog.Bucket;

/// <summary>
/// The catalog on an object store. Each file lives at <c>files/{project}/{filename}</c> (its PEP 658 metadata
/// beside it) and each project has one index document holding every file's facts. Index documents are
/// changed with optimistic If-Match writes, so concurrent uploads through several nodes lose nothing.
/// </summary>
public sealed class BucketRepository(IBlobStore store, ILogger<BucketRepository>? logger = null) : IPackageRepository
{
    // An emptied project keeps a constant two-byte document: the root listing tells it apart by size alone,
    // and it is never deleted, because an unconditional delete could drop a concurrent upload's entry.
    private static readonly byte[] EmptyDocument = "{}"u8.ToArray();
    private const int MaxUpdateAttempts = 200;

    private readonly ILogger _logger = logger ?? NullLogger<BucketRepository>.Instance;

    public async Task<IReadOnlyList<ProjectSummary>> ListProjectsAsync(CancellationToken cancellationToken)
    {
        // One LIST of index/; the normalized name doubles as the display name, which is allowed on the root page.
        var projects = new List<ProjectSummary>();
        await foreach (var blob in store.ListAsync(BucketKeys.IndexPrefix, cancellationToken))
        {
            if (blob.Length > EmptyDocument.Length && BucketKeys.ProjectOfIndex(blob.Key) is { } project)
            {
                projects.Add(new ProjectSummary(project, project));
            }
        }

        return projects;
    }

    public async Task<ProjectListing?> GetProjectAsync(string project, CancellationToken cancellationToken)
    {
        if (!BucketKeys.IsSafeSegment(project))
        {
            return null;
        }

        await using var stream = await store.OpenReadAsync(BucketKeys.Index(project), cancellationToken);
        if (stream is null)
        {
            return null;
        }

        var document = await ReadDocumentAsync(project, stream, cancellationToken);
        return document.Files.Count == 0 ? null : new ProjectListing(document.Project, document.DisplayName, document.Files);
    }

    public async Task<DownloadTarget?> GetDownloadAsync(string project, string filename, DownloadPart part, CancellationToken cancellationToken)
    {
        if (!BucketKeys.IsSafeSegment(project) || !BucketKeys.IsSafeSegment(filename))
        {
            return null;
        }

        var key = part == DownloadPart.File ? BucketKeys.File(project, filename) : BucketKeys.CoreMetadata(project, filename);
        return await BlobDownload.TargetAsync(store, key, cancellationToken);
    }

    public Task<byte[]?> ReadCoreMetadataAsync(string project, string filename, CancellationToken cancellationToken) =>
        BucketKeys.IsSafeSegment(project) && BucketKeys.IsSafeSegment(filename)
            ? ReadSmallObjectAsync(BucketKeys.CoreMetadata(project, filename), cancellationToken)
            : Task.FromResult<byte[]?>(null);

    public async Task<byte[]?> ReadProvenanceAsync(string project, string filename, CancellationToken cancellationToken)
    {
        if ((await GetProjectAsync(project, cancellationToken))?.Files.FirstOrDefault(f => f.Filename == filename)?.ProvenanceSha256 is not { } sha256)
        {
            return null;
        }

        return ProvenanceBytes.IfIndexed(await ReadSmallObjectAsync(BucketKeys.Provenance(project, filename), cancellationToken), sha256);
    }

    // Straight from the store: GetDownloadAsync would answer a redirect for clients, not the bytes.
    private async Task<byte[]?> ReadSmallObjectAsync(string key, CancellationToken cancellationToken)
    {
        await using var stream = await store.OpenReadAsync(key, cancellationToken);
        if (stream is null)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    public async Task<AddOutcome> AddAsync(NewDistribution distribution, bool overwrite, CancellationToken cancellationToken)
    {
        var file = distribution.File with { UploadTime = distribution.File.UploadTime.ToUniversalTime() };
        if (!BucketKeys.IsSafeSegment(file.Project) || !BucketKeys.IsSafeSegment(file.Filename))
        {
            throw new ArgumentException($"'{file.Project}/{file.Filename}' cannot be stored.", nameof(distribution));
        }

        var fileKey = BucketKeys.File(file.Project, file.Filename);
        var outcome = AddOutcome.Created;
        if (!await PutFileAsync(fileKey, distribution.StagedPath, BlobWriteCondition.IfNotExists, cancellationToken))
        {
            // An object that vanished since the refused write counts as other bytes (a concurrent delete or replace).
            var (existingSha256, indexed) = await FindExistingSha256Async(file.Project, file.Filename, fileKey, cancellationToken);
            outcome = ExistingFileRule.Decide(existingSha256 ?? "", file.Digests.Sha256, overwrite);
            switch (outcome)
            {
                case AddOutcome.Conflict:
                case AddOutcome.Identical when indexed:
                    return outcome;
                case AddOutcome.Replaced:
                    await PutFileAsync(fileKey, distribution.StagedPath, BlobWriteCondition.None, cancellationToken);
                    break;

                // Identical but not indexed (an interrupted upload, or a file copied in): index it now.
            }
        }

        await PutCompanionAsync(BucketKeys.CoreMetadata(file.Project, file.Filename), distribution.CoreMetadata, outcome, cancellationToken);
        await PutCompanionAsync(BucketKeys.Provenance(file.Project, file.Filename), distribution.Provenance, outcome, cancellationToken);

        // The index entry last: until it is written, nothing of this upload is visible.
        await UpdateIndexAsync(file.Project, current => (Upsert(current, file), true), cancellationToken);
        _logger.LogInformation("Stored {Project}/{Filename} ({Outcome})", file.Project, file.Filename, outcome);
        return outcome;
    }

    public async Task<bool> RemoveAsync(string project, string filename, CancellationToken cancellationToken)
    {
        if (!BucketKeys.IsSafeSegment(project) || !BucketKeys.IsSafeSegment(filename))
        {
            return false;
        }

        // The entry first, so the file stops being listed before its bytes go.
        var unindexed = await UpdateIndexAsync(
            project,
            current => current?.Find(filename) is null ? (null, false) : (current.Without(filename), true),
            cancellationToken);
        var fileKey = BucketKeys.File(project, filename);
        if (!unindexed && await store.StatAsync(fileKey, cancellationToken) is null)
        {
            return false;
        }

        await store.DeleteAsync(fileKey, cancellationToken);
        await store.DeleteAsync(BucketKeys.CoreMetadata(project, filename), cancellationToken);
        await store.DeleteAsync(BucketKeys.Provenance(project, filename), cancellationToken);
        _logger.LogInformation("Removed {Project}/{Filename}", project, filename);
        return true;
    }

    public Task<bool> SetYankedAsync(string project, string filename, bool yanked, string? reason, CancellationToken cancellationToken)
    {
        if (!BucketKeys.IsSafeSegment(project) || !BucketKeys.IsSafeSegment(filename))
        {
            return Task.FromResult(false);
        }

        var newReason = yanked && !string.IsNullOrEmpty(reason) ? reason : null;
        return UpdateIndexAsync(
            project,
            current => current?.Find(filename) is not { } entry
                ? (null, false)
                : entry.Yanked == yanked && entry.YankedReason == newReason
                    ? (null, true)
                    : (current.With(entry with { Yanked = yanked, YankedReason = newReason }, current.DisplayName), true),
            cancellationToken);
    }

    /// <summary>
    /// Brings a project's index document in line with what <c>reindex</c> found in the bucket: adds the
    /// <paramref name="found"/> entries that are missing (or, for names in <paramref name="replaced"/>, whose size
    /// changed) and drops the <paramref name="gone"/> ones. Conditional writes, as for uploads; returns the counts.
    /// </summary>
    public Task<(int Added, int Removed)> ReconcileIndexAsync(
        string project,
        IReadOnlyList<DistributionFile> found,
        IReadOnlySet<string> replaced,
        IReadOnlySet<string> gone,
        CancellationToken cancellationToken) =>
        UpdateIndexAsync(
            project,
            current =>
            {
                var document = current ?? new ProjectIndexDocument(project, found.Select(e => e.DisplayName).LastOrDefault(n => n is not null) ?? project, []);
                int added = 0, removed = 0;
                foreach (var entry in found.Where(e => document.Find(e.Filename) is not { } existing || (replaced.Contains(e.Filename) && existing.Size != e.Size)))
                {
                    document = document.With(entry, document.DisplayName == project ? entry.DisplayName ?? project : document.DisplayName);
                    added++;
                }

                foreach (var name in gone.Where(n => document.Find(n) is not null))
                {
                    document = document.Without(name);
                    removed++;
                }

                return (added + removed == 0 ? null : document, (added, removed));
            },
            cancellationToken);

    /// <summary>
    /// Reads a project's index document, applies <paramref name="change"/> and writes the result conditionally
    /// (If-Match the version read, or If-None-Match: * when there was none), again until no one else wrote in
    /// between. <paramref name="change"/> returns a null document when nothing needs writing.
    /// </summary>
    private async Task<T> UpdateIndexAsync<T>(
        string project,
        Func<ProjectIndexDocument?, (ProjectIndexDocument? Next, T Result)> change,
        CancellationToken cancellationToken)
    {
        var key = BucketKeys.Index(project);
        for (var attempt = 1; ; attempt++)
        {
            var (current, etag) = await ReadIndexForUpdateAsync(project, key, cancellationToken);
            var (next, result) = change(current);
            if (next is null)
            {
                return result;
            }

            var bytes = Serialize(next);
            var condition = etag is null ? BlobWriteCondition.IfNotExists : BlobWriteCondition.IfMatch(etag);
            var written = await store.PutAsync(key, new MemoryStream(bytes, writable: false), bytes.Length, condition, cancellationToken);
            if (written.Written)
            {
                return result;
            }

            if (attempt == MaxUpdateAttempts)
            {
                throw new StorageUnavailableException($"The index of '{project}' kept changing; gave up after {attempt} attempts.");
            }

            // Another writer won: back off a little (with jitter, so contenders spread out) and redo the change.
            var delay = Math.Min(5 * attempt, 100) + Random.Shared.Next(0, 10 + (5 * Math.Min(attempt, 20)));
            await Task.Delay(delay, cancellationToken);
        }
    }

    private async Task<(ProjectIndexDocument? Document, string? ETag)> ReadIndexForUpdateAsync(string project, string key, CancellationToken cancellationToken)
    {
        // Stat first: if the body read afterwards is newer than this ETag, the If-Match write fails and we retry.
        var info = await store.StatAsync(key, cancellationToken);
        if (info is null)
        {
            return (null, null);
        }

        await using var stream = await store.OpenReadAsync(key, cancellationToken);
        return stream is null ? (null, null) : (await ReadDocumentAsync(project, stream, cancellationToken), info.ETag);
    }

    private static ProjectIndexDocument Upsert(ProjectIndexDocument? current, DistributionFile file)
    {
        var existing = current?.Find(file.Filename);
        if (existing is not null && existing.Digests.Sha256 == file.Digests.Sha256 && existing.Size == file.Size)
        {
            // An identical entry: keep its facts (upload time, yank state) and only refresh the display name.
            return current!.With(existing, file.DisplayName ?? current.DisplayName);
        }

        var displayName = file.DisplayName ?? current?.DisplayName ?? file.Project;
        return (current ?? new ProjectIndexDocument(file.Project, displayName, [])).With(file, displayName);
    }

    /// <summary>Writes an object kept beside a distribution; a replaced file without one loses the old one.</summary>
    private async Task PutCompanionAsync(string key, byte[]? content, AddOutcome outcome, CancellationToken cancellationToken)
    {
        if (content is not null)
        {
            await store.PutAsync(key, new MemoryStream(content, writable: false), content.Length, BlobWriteCondition.None, cancellationToken);
        }
        else if (outcome == AddOutcome.Replaced)
        {
            await store.DeleteAsync(key, cancellationToken);
        }
    }

    private async Task<bool> PutFileAsync(string key, string path, BlobWriteCondition condition, CancellationToken cancellationToken)
    {
        await using var content = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var result = await store.PutAsync(key, content, content.Length, condition, cancellationToken);
        return result.Written;
    }

    private async Task<(string? Sha256, bool Indexed)> FindExistingSha256Async(string project, string filename, string fileKey, CancellationToken cancellationToken)
    {
        await using (var indexStream = await store.OpenReadAsync(BucketKeys.Index(project), cancellationToken))
        {
            if (indexStream is not null
                && (await ReadDocumentAsync(project, indexStream, cancellationToken)).Find(filename) is { } entry)
            {
                return (entry.Digests.Sha256, true);
            }
        }

        // Not indexed: hash the stored bytes (rare: an interrupted upload or a file copied in by other tools).
        await using var stream = await store.OpenReadAsync(fileKey, cancellationToken);
        return stream is null ? (null, false) : (Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken)), false);
    }

    private static async Task<ProjectIndexDocument> ReadDocumentAsync(string project, Stream stream, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        if (buffer.Length <= EmptyDocument.Length)
        {
            return new ProjectIndexDocument(project, project, []);
        }

        buffer.Position = 0;
        return JsonSerializer.Deserialize(buffer, BucketJsonContext.Default.ProjectIndexDocument)
            ?? new ProjectIndexDocument(project, project, []);
    }

    private static byte[] Serialize(ProjectIndexDocument document) =>
        document.Files.Count == 0 ? EmptyDocument : JsonSerializer.SerializeToUtf8Bytes(document, BucketJsonContext.Default.ProjectIndexDocument);
}
