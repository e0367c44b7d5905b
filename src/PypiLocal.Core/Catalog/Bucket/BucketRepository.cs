using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PypiLocal.Core.Caching;
using PypiLocal.Core.Storage;

namespace PypiLocal.Core.Catalog.Bucket;

/// <summary>
/// The catalog on an object store. Each project has one index document holding every file's facts; each upload
/// writes its bytes (and PEP 658 metadata, PEP 740 provenance) to keys of its own (<see cref="BucketKeys"/>), then its entry into the
/// index document with an optimistic If-Match write. The entry is what makes a file visible, so a node or client
/// that dies at any instant leaves at most unreferenced objects that never block a retry (the sweep deletes
/// them), and concurrent uploads and overwrites through several nodes converge on the entry that won.
/// </summary>
public sealed class BucketRepository(IBlobStore store, ILogger<BucketRepository>? logger = null, BucketFileLocations? locations = null) : IPackageRepository
{
    // An emptied project keeps a constant two-byte document: the root listing tells it apart by size alone,
    // and it is never deleted, because an unconditional delete could drop a concurrent upload's entry.
    private static readonly byte[] EmptyDocument = "{}"u8.ToArray();
    private const int MaxUpdateAttempts = 200;

    private readonly ILogger _logger = logger ?? NullLogger<BucketRepository>.Instance;

    // Served wheels' core metadata; 4 MiB holds a few thousand typical ones (CoreMetadataAsync).
    private readonly BoundedMemory<HeldMetadataKey, BytesDownload> _coreMetadata = new(4 << 20, held => held.Bytes.Length);

    // The index read that remembered locations fall back on (FindAsync), made on first use (an initializer cannot name
    // an instance method): a lambda over the project would allocate a closure and a delegate on every download.
    private Func<string, CancellationToken, Task<IReadOnlyList<DistributionFile>>>? _readFiles;

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

        var (document, _) = await ReadIndexAsync(project, cancellationToken);
        return document is null || document.Files.Count == 0 ? null : new ProjectListing(document.Project, document.DisplayName, document.Files);
    }

    public async ValueTask<DownloadTarget?> GetDownloadAsync(string project, string filename, DownloadPart part, CancellationToken cancellationToken)
    {
        if (await FindAsync(project, filename, cancellationToken) is not { } entry)
        {
            return null;
        }

        if (part == DownloadPart.File)
        {
            return await BlobDownload.TargetAsync(store, BucketKeys.FileOf(entry), cancellationToken, indexed: true);
        }

        return await CoreMetadataAsync(entry, cancellationToken);
    }

    /// <summary>
    /// A wheel's served metadata, sent by this node rather than redirected to the store: pip fetches one for every
    /// candidate it weighs, and a few kilobytes from memory cost it less than following a presigned URL to another
    /// host (bench/README.md). Held by digest and upload time, so an overwrite, which indexes a new entry, is never
    /// answered with the bytes it replaced. Null for a file with no metadata served.
    /// </summary>
    private async ValueTask<BytesDownload?> CoreMetadataAsync(DistributionFile entry, CancellationToken cancellationToken)
    {
        // The digest as the entry keeps it: its hex text would be made (and hashed) on every request.
        var key = new HeldMetadataKey(entry.CoreMetadataDigest, entry.UploadTime);
        if (!key.Sha256.HasValue)
        {
            return null;
        }

        if (_coreMetadata.TryGet(key, out var held))
        {
            return held;
        }

        var sha256 = entry.CoreMetadataSha256!;
        if (CompanionBytes.IfIndexed((await store.ReadVersionAsync(BucketKeys.CoreMetadataOf(entry), cancellationToken))?.Content, sha256) is not { } bytes)
        {
            return null;
        }

        var download = BytesDownload.OfCoreMetadata(bytes, entry.UploadTime, sha256);
        _coreMetadata.Set(key, download);
        return download;
    }

    public async Task<byte[]?> ReadCoreMetadataAsync(string project, string filename, CancellationToken cancellationToken) =>
        await FindAsync(project, filename, cancellationToken) is { } entry ? (await CoreMetadataAsync(entry, cancellationToken))?.Bytes : null;

    public async Task<byte[]?> ReadProvenanceAsync(string project, string filename, CancellationToken cancellationToken)
    {
        if (await FindAsync(project, filename, cancellationToken) is not { ProvenanceSha256: { } sha256 } entry)
        {
            return null;
        }

        // Straight from the store: GetDownloadAsync would answer a redirect for clients, not the bytes.
        return CompanionBytes.IfIndexed((await store.ReadVersionAsync(BucketKeys.ProvenanceOf(entry), cancellationToken))?.Content, sha256);
    }

    /// <summary>
    /// One index read, then the bytes and the metadata in parallel to this upload's own keys, then the entry,
    /// If-Match the version read (read again only when another writer came between): three round trips.
    /// </summary>
    public async Task<AddOutcome> AddAsync(NewDistribution distribution, bool overwrite, CancellationToken cancellationToken)
    {
        var file = distribution.File with { UploadTime = distribution.File.UploadTime.ToUniversalTime() };
        if (!BucketKeys.IsSafeSegment(file.Project) || !BucketKeys.IsSafeSegment(file.Filename))
        {
            throw new ArgumentException($"'{file.Project}/{file.Filename}' cannot be stored.", nameof(distribution));
        }

        var read = await ReadIndexAsync(file.Project, cancellationToken);
        if (read.Document?.Find(file.Filename) is { } indexed
            && ExistingFileRule.Decide(indexed.Digests.Sha256, file.Digests.Sha256, overwrite) is (AddOutcome.Identical or AddOutcome.Conflict) and var settled)
        {
            return settled;
        }

        // Keys no other upload uses: plain writes, which the store may safely retry.
        var stored = file with { StorageKey = BucketKeys.NewBlob(file.Project, file.Filename) };
        await Task.WhenAll(
            PutFileAsync(BucketKeys.FileOf(stored), distribution.StagedPath, cancellationToken),
            PutCompanionAsync(BucketKeys.CoreMetadataOf(stored), distribution.CoreMetadata, cancellationToken),
            PutCompanionAsync(BucketKeys.ProvenanceOf(stored), distribution.Provenance, cancellationToken));

        // The entry last: until it is written, nothing of this upload is visible. The existing entry is judged
        // again on every attempt, since another node may have indexed the same filename meanwhile.
        DistributionFile? previous = null;
        (AddOutcome Outcome, DistributionFile? Previous)? sent = null;
        var outcome = await UpdateIndexAsync(
            file.Project,
            current =>
            {
                var existing = current?.Find(file.Filename);
                if (existing?.StorageKey == stored.StorageKey && sent is { } ours)
                {
                    // Our own entry (no other upload names this key): an earlier attempt was written though its
                    // answer was lost, and others wrote the index since. Its bytes are in use, not unreferenced.
                    previous = ours.Previous;
                    return (null, ours.Outcome);
                }

                previous = existing;
                var decided = ExistingFileRule.Decide(previous?.Digests.Sha256, file.Digests.Sha256, overwrite);
                if (decided is AddOutcome.Identical or AddOutcome.Conflict)
                {
                    return (null, decided);
                }

                sent = (decided, previous);
                return ((current ?? new ProjectIndexDocument(file.Project, file.DisplayName ?? file.Project, [])).With(stored, file.DisplayName ?? current?.DisplayName ?? file.Project), decided);
            },
            read,
            cancellationToken);
        locations?.Forget(file.Project);

        // Bytes no entry names any more: this upload's when another won the name, else the file it replaced.
        await DeleteUnreferencedAsync(outcome is AddOutcome.Identical or AddOutcome.Conflict ? stored : outcome == AddOutcome.Replaced ? previous : null, cancellationToken);
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
        DistributionFile? removed = null;
        await UpdateIndexAsync(
            project,
            current =>
            {
                // Gone since an earlier attempt found it: that attempt's write may have landed with its answer lost
                // (or another delete came first); either way the entry is gone and its bytes go with it.
                var entry = current?.Find(filename);
                removed = entry ?? removed;
                return (entry is null ? null : current!.Without(filename), true);
            },
            null,
            cancellationToken);
        locations?.Forget(project);

        // Not indexed: an object copied in at the filename's key (and not reindexed) is removed all the same.
        var fileKey = removed is null ? BucketKeys.File(project, filename) : BucketKeys.FileOf(removed);
        if (removed is null && await store.StatAsync(fileKey, cancellationToken) is null)
        {
            return false;
        }

        foreach (var key in BucketKeys.ObjectsAt(fileKey))
        {
            await store.DeleteAsync(key, cancellationToken);
        }

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
        locations?.Forget(project);
        return UpdateIndexAsync(
            project,
            current => current?.Find(filename) is not { } entry
                ? (null, false)
                : entry.Yanked == yanked && entry.YankedReason == newReason
                    ? (null, true)
                    : (current.With(entry with { Yanked = yanked, YankedReason = newReason }, current.DisplayName), true),
            null,
            cancellationToken);
    }

    /// <summary>
    /// Brings a project's index document in line with what <c>reindex</c> found under <c>files/</c>: adds the
    /// <paramref name="found"/> entries that are missing (or, for names in <paramref name="replaced"/>, whose size
    /// changed) and drops the <paramref name="gone"/> entries (only if still the same: an upload may have named
    /// new bytes since). Only entries at the filename's key are replaced: an upload's entry names a key of its
    /// own, which files copied in do not replace. Conditional writes, as for uploads; returns the counts.
    /// </summary>
    public Task<(int Added, int Removed)> ReconcileIndexAsync(
        string project,
        IReadOnlyList<DistributionFile> found,
        IReadOnlySet<string> replaced,
        IReadOnlyCollection<DistributionFile> gone,
        CancellationToken cancellationToken) =>
        UpdateIndexAsync(
            project,
            current =>
            {
                var document = current ?? new ProjectIndexDocument(project, found.Select(e => e.DisplayName).LastOrDefault(n => n is not null) ?? project, []);
                int added = 0, removed = 0;
                foreach (var entry in found.Where(e => document.Find(e.Filename) is not { } existing
                    || (existing.StorageKey is null && replaced.Contains(e.Filename) && existing.Size != e.Size)))
                {
                    document = document.With(entry, document.DisplayName == project ? entry.DisplayName ?? project : document.DisplayName);
                    added++;
                }

                foreach (var entry in gone.Where(e => document.Find(e.Filename) is { } current && current.StorageKey == e.StorageKey))
                {
                    document = document.Without(entry.Filename);
                    removed++;
                }

                return (added + removed == 0 ? null : document, (added, removed));
            },
            null,
            cancellationToken);

    /// <summary>
    /// Deletes the objects that have no index entry left, swept in bulk later if these deletes fail:
    /// an unreferenced object is never seen, so this is tidiness, not correctness.
    /// </summary>
    public async Task DeleteUnreferencedAsync(DistributionFile? bytes, CancellationToken cancellationToken)
    {
        if (bytes is null)
        {
            return;
        }

        try
        {
            foreach (var key in BucketKeys.ObjectsOf(bytes))
            {
                await store.DeleteAsync(key, cancellationToken);
            }
        }
        catch (StorageUnavailableException e)
        {
            _logger.LogWarning("Could not delete the unreferenced {Key} yet ({Reason}); the orphan sweep will", BucketKeys.FileOf(bytes), e.Message);
        }
    }

    /// <summary>
    /// Reads a project's index document (or takes the <paramref name="read"/> one), applies <paramref name="change"/>
    /// and writes the result conditionally (If-Match the version read, or If-None-Match: * when there was none),
    /// again until no one else wrote in between. <paramref name="change"/> returns a null document when nothing
    /// needs writing.
    /// </summary>
    [SuppressMessage("Security", "CA5394", Justification = "Retry jitter, not a secret.")]
    private async Task<T> UpdateIndexAsync<T>(
        string project,
        Func<ProjectIndexDocument?, (ProjectIndexDocument? Next, T Result)> change,
        (ProjectIndexDocument? Document, string? ETag)? read,
        CancellationToken cancellationToken)
    {
        var key = BucketKeys.Index(project);
        for (var attempt = 1; ; attempt++)
        {
            var (current, etag) = read ?? await ReadIndexAsync(project, cancellationToken);
            read = null;
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

    /// <summary>A project's index document and the ETag of the version read (one GET), or nulls when there is none.</summary>
    private async Task<(ProjectIndexDocument? Document, string? ETag)> ReadIndexAsync(string project, CancellationToken cancellationToken)
    {
        var read = await store.ReadVersionAsync(BucketKeys.Index(project), cancellationToken);
        return read is null ? (null, null) : (ParseDocument(project, read.Content), read.ETag);
    }

    /// <summary>The entry of an indexed file, through the remembered locations when there are any.</summary>
    private async ValueTask<DistributionFile?> FindAsync(string project, string filename, CancellationToken cancellationToken)
    {
        if (!BucketKeys.IsSafeSegment(project) || !BucketKeys.IsSafeSegment(filename))
        {
            return null;
        }

        if (locations is null)
        {
            return (await ReadIndexAsync(project, cancellationToken)).Document?.Find(filename);
        }

        var files = await locations.GetAsync(project, _readFiles ??= ReadFilesAsync, cancellationToken);
        return files.GetValueOrDefault(filename);
    }

    private async Task<IReadOnlyList<DistributionFile>> ReadFilesAsync(string project, CancellationToken cancellationToken) =>
        (await ReadIndexAsync(project, cancellationToken)).Document?.Files ?? [];

    private Task PutCompanionAsync(string key, byte[]? content, CancellationToken cancellationToken) =>
        content is null
            ? Task.CompletedTask
            : store.PutAsync(key, new MemoryStream(content, writable: false), content.Length, BlobWriteCondition.None, cancellationToken);

    private async Task PutFileAsync(string key, string path, CancellationToken cancellationToken)
    {
        await using var content = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await store.PutAsync(key, content, content.Length, BlobWriteCondition.None, cancellationToken);
    }

    private static ProjectIndexDocument ParseDocument(string project, byte[] content) =>
        content.Length <= EmptyDocument.Length
            ? new ProjectIndexDocument(project, project, [])
            : JsonSerializer.Deserialize(content, BucketJsonContext.Default.ProjectIndexDocument) ?? new ProjectIndexDocument(project, project, []);

    private static byte[] Serialize(ProjectIndexDocument document) =>
        document.Files.Count == 0 ? EmptyDocument : JsonSerializer.SerializeToUtf8Bytes(document, BucketJsonContext.Default.ProjectIndexDocument);

    private readonly record struct HeldMetadataKey(HexDigest Sha256, DateTimeOffset UploadTime);
}
