using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PypiLocal.Core.Archives;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Hashing;
using PypiLocal.Core.Inspection;
using PypiLocal.Protocol.Filenames;

namespace PypiLocal.Core.Folder;

/// <summary>
/// The embedded backend: serves folders of distributions as <c>pypi-server ./packages</c> does. The file list
/// comes from a cheap name-only scan; a file's facts (sha256, core metadata) are computed once per
/// (path, size, modification time) on first need and kept in memory; upload facts live in
/// <see cref="FileRecordStore"/> records beside the files. Uploads land in the first folder.
/// </summary>
internal sealed class FolderRepository : IPackageRepository
{
    private readonly IReadOnlyList<string> _folders;
    private readonly FolderScanner _scanner;
    private readonly DistributionInspector _inspector;
    private readonly TimeProvider _time;
    private readonly ILogger<FolderRepository> _logger;
    private readonly Lock _scanLock = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<string, (FolderFile Stamp, Lazy<Task<DistributionFile?>> Facts)> _facts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (DateTimeOffset? Time, FileRecord? Record)> _records = new(StringComparer.Ordinal);
    private readonly CoreMetadataCache _coreMetadata = new(CoreMetadataCache.DefaultMaxBytes);
    private volatile FolderSnapshot _snapshot = FolderSnapshot.Empty;

    public FolderRepository(IOptions<FolderStorageOptions> options, FolderScanner scanner, DistributionInspector inspector, TimeProvider time, ILogger<FolderRepository> logger)
    {
        _folders = options.Value.ResolvedFolders();
        _scanner = scanner;
        _inspector = inspector;
        _time = time;
        _logger = logger;
        CreateUploadFolder();
        Rescan();
    }

    public IReadOnlyList<string> Folders => _folders;

    /// <summary>Rescans the folders and returns the projects whose files changed since the last scan.</summary>
    public IReadOnlySet<string> Rescan()
    {
        lock (_scanLock)
        {
            var before = _snapshot;
            var after = _scanner.Scan(_folders);
            _snapshot = after;
            foreach (var (path, entry) in _facts)
            {
                var current = after.Find(entry.Stamp.Name.Project, entry.Stamp.Name.Filename);
                if (current is null || current.Path != path || !current.SameStamp(entry.Stamp))
                {
                    _facts.TryRemove(path, out _);
                }
            }

            return FolderSnapshot.ChangedProjects(before, after);
        }
    }

    public Task<IReadOnlyList<ProjectSummary>> ListProjectsAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<ProjectSummary> projects = _snapshot.Projects.Keys
            .Order(StringComparer.Ordinal)
            .Select(p => new ProjectSummary(p, p))
            .ToList();
        return Task.FromResult(projects);
    }

    public async Task<ProjectListing?> GetProjectAsync(string project, CancellationToken cancellationToken)
    {
        if (!_snapshot.Projects.TryGetValue(project, out var files))
        {
            return null;
        }

        var facts = await Task.WhenAll(files.Values.Select(GetFactsAsync));
        var known = facts.OfType<DistributionFile>().ToList();
        var displayName = known.OrderByDescending(f => f.UploadTime).Select(f => f.DisplayName).FirstOrDefault(n => n is not null) ?? project;
        return new ProjectListing(project, displayName, known);
    }

    public async Task<DownloadTarget?> GetDownloadAsync(string project, string filename, DownloadPart part, CancellationToken cancellationToken)
    {
        var file = _snapshot.Find(project, filename);
        if (file is null)
        {
            return null;
        }

        var etag = $"\"{file.Size:x}-{file.LastWriteTime.UtcTicks:x}\"";
        if (part == DownloadPart.File)
        {
            return new LocalFileDownload(file.Path, file.Size, file.LastWriteTime, etag);
        }

        return await ReadCoreMetadataAsync(file, cancellationToken) is not ({ } metadata, { } sha256)
            ? null
            : new StreamDownload(_ => Task.FromResult<Stream>(new MemoryStream(metadata, writable: false)), metadata.Length, file.LastWriteTime, $"\"{sha256}\"");
    }

    public async Task<byte[]?> ReadCoreMetadataAsync(string project, string filename, CancellationToken cancellationToken) =>
        _snapshot.Find(project, filename) is { } file ? (await ReadCoreMetadataAsync(file, cancellationToken)).Bytes : null;

    /// <summary>A wheel's served metadata and its hash from the cached facts; read from the archive, kept within a budget.</summary>
    private async Task<(byte[]? Bytes, string? Sha256)> ReadCoreMetadataAsync(FolderFile file, CancellationToken cancellationToken)
    {
        if ((await GetFactsAsync(file))?.CoreMetadataSha256 is not { } sha256)
        {
            return (null, null);
        }

        var bytes = _coreMetadata.Find(file);
        if (bytes is null && (bytes = await _inspector.ReadCoreMetadataAsync(file.Path, file.Name, cancellationToken)) is not null)
        {
            _coreMetadata.Add(file, bytes);
        }

        return (bytes, sha256);
    }

    public async Task<AddOutcome> AddAsync(NewDistribution distribution, bool overwrite, CancellationToken cancellationToken)
    {
        var incoming = distribution.File;
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            var existing = _snapshot.Find(incoming.Project, incoming.Filename);
            var target = existing?.Path ?? Path.Combine(_folders[0], incoming.Filename);
            if (existing is not null && await GetFactsAsync(existing) is { } current
                && ExistingFileRule.Decide(current.Digests.Sha256, incoming.Digests.Sha256, overwrite) is (AddOutcome.Identical or AddOutcome.Conflict) and var settled)
            {
                return settled;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);

            // Stage beside the target under a hidden name, so the rename that publishes it is atomic
            // and a scan never sees a half-written file.
            var partial = Path.Combine(Path.GetDirectoryName(target)!, $".{incoming.Filename}.{Guid.NewGuid():N}.partial");
            try
            {
                File.Copy(distribution.StagedPath, partial);
                FileRecordStore.Write(target, new FileRecord(
                    incoming.Digests.Sha256, incoming.UploadTime, incoming.DisplayName, incoming.Uploader,
                    incoming.Digests.Md5, incoming.Digests.Blake2b256, incoming.Yanked, incoming.YankedReason));
                File.Move(partial, target, overwrite: existing is not null);
            }
            catch (IOException) when (existing is null && File.Exists(target))
            {
                // Another process published the same filename first: settle it by content.
                return ExistingFileRule.Decide(await HashFileAsync(target, cancellationToken), incoming.Digests.Sha256, overwrite: false);
            }
            finally
            {
                File.Delete(partial);
            }

            Rescan();
            return existing is null ? AddOutcome.Created : AddOutcome.Replaced;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<bool> RemoveAsync(string project, string filename, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            var file = _snapshot.Find(project, filename);
            if (file is null)
            {
                return false;
            }

            File.Delete(file.Path);
            FileRecordStore.Delete(file.Path);
            Rescan();
            return true;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<bool> SetYankedAsync(string project, string filename, bool yanked, string? reason, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            var file = _snapshot.Find(project, filename);
            if (file is null || await GetFactsAsync(file) is not { } facts)
            {
                return false;
            }

            FileRecordStore.Write(file.Path, new FileRecord(
                facts.Digests.Sha256, facts.UploadTime, facts.DisplayName, facts.Uploader,
                facts.Digests.Md5, facts.Digests.Blake2b256, yanked, yanked ? NullIfEmpty(reason) : null));

            // The rescan sees the record's new time, so this and every other process re-read it.
            Rescan();
            return true;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>The first folder receives uploads; make it, unless it is on a read-only mount (then only reading works).</summary>
    private void CreateUploadFolder()
    {
        try
        {
            Directory.CreateDirectory(_folders[0]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning("Cannot create {Folder}: {Reason}", _folders[0], e.Message);
        }
    }

    /// <summary>A file's facts: what its bytes say (cached per path, size and time) joined with its upload record.</summary>
    private async Task<DistributionFile?> GetFactsAsync(FolderFile file)
    {
        var entry = _facts.AddOrUpdate(
            file.Path,
            _ => (file, new Lazy<Task<DistributionFile?>>(() => InspectAsync(file))),
            (_, old) => old.Stamp.SameStamp(file) ? old : (file, new Lazy<Task<DistributionFile?>>(() => InspectAsync(file))));
        if (await entry.Facts.Value is not { } content)
        {
            return null;
        }

        return ReadRecord(file) is { } record && record.Sha256 == content.Digests.Sha256
            ? content with
            {
                UploadTime = record.UploadTime,
                DisplayName = record.DisplayName ?? content.DisplayName,
                Yanked = record.Yanked,
                YankedReason = record.YankedReason,
                Uploader = record.Uploader,
            }
            : content;
    }

    /// <summary>The upload record beside a file, re-read only when its modification time changed (another process may write it).</summary>
    private FileRecord? ReadRecord(FolderFile file)
    {
        if (file.RecordTime is null)
        {
            return null;
        }

        var cached = _records.GetValueOrDefault(file.Path);
        if (cached.Time == file.RecordTime)
        {
            return cached.Record;
        }

        var record = FileRecordStore.TryRead(file.Path);
        _records[file.Path] = (file.RecordTime, record);
        return record;
    }

    /// <summary>
    /// Reads the file once: what its bytes say, first seen at its modification time. A corrupt archive is still
    /// listed, without core metadata; a vanished one is skipped.
    /// </summary>
    private async Task<DistributionFile?> InspectAsync(FolderFile file)
    {
        try
        {
            return (await _inspector.InspectAsync(file.Path, file.Name, CancellationToken.None)).ToFile(file.LastWriteTime);
        }
        catch (ArchiveException e)
        {
            _logger.LogWarning("Serving {Path} without core metadata: {Reason}", file.Path, e.Message);
            await using var stream = OpenRead(file.Path);
            var digests = await FileDigester.ComputeAsync(stream, CancellationToken.None);
            return new DistributionFile(file.Name.Project, file.Name.Filename, file.Name.Version.ToString(), file.Name.Kind, file.Size, digests, file.LastWriteTime);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning("Skipping {Path}: {Reason}", file.Path, e.Message);
            _facts.TryRemove(file.Path, out _);
            return null;
        }
    }

    private static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);

    private static async Task<string> HashFileAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = OpenRead(path);
        return (await FileDigester.ComputeAsync(stream, cancellationToken)).Sha256;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
