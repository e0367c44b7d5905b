using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PypiLocal.Core.Archives;
using PypiLocal.Core.Caching;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Hashing;
using PypiLocal.Core.Indexing;
using PypiLocal.Core.IO;
using PypiLocal.Core.Inspection;
using PypiLocal.Core.Publishing;

namespace PypiLocal.Core.Folder;

/// <summary>
/// The embedded backend: serves folders of distributions as <c>pypi-server ./packages</c> does. The file list comes
/// from cheap name-and-stamp listings kept per directory (<see cref="FolderTree"/>); each file's facts are computed once
/// and kept in a state directory outside the folders (<see cref="FolderFacts"/>), so the folders hold only
/// distributions and a restart hashes nothing that did not change. Uploads land in the first folder.
/// </summary>
internal sealed class FolderRepository : IPackageRepository, IDisposable
{
    /// <summary>How old a <c>.partial</c> file must be to count as left by a dead process.</summary>
    internal static readonly TimeSpan PartialGracePeriod = TimeSpan.FromMinutes(15);

    private readonly IReadOnlyList<string> _folders;
    private readonly FolderTree _tree;
    private readonly FolderStateDirectory _state;
    private readonly FolderFacts _facts;
    private readonly DistributionInspector _inspector;
    private readonly TimeProvider _time;
    private readonly ILogger<FolderRepository> _logger;
    private readonly Lock _scanLock = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    // Wheels' core metadata (PEP 658), held as the answer made of it: without it every .metadata request opens the
    // archive and inflates the member, several times the cost of sending it. 4 MiB holds a few thousand typical ones.
    private readonly HeldDownloads _coreMetadata = new(4 << 20);

    // Small distributions' bytes, held once downloaded: sent from memory, a download makes one system call where reading
    // the file took seven more (open, two flocks, two fstats, pread, close), a sixth of a 100 KiB wheel's CPU
    // (bench/README.md, "Small files held in memory"). 16 MiB holds every file of a typical install.
    private readonly HeldDownloads _smallFiles = new(16 << 20);
    private volatile FolderSnapshot _snapshot = FolderSnapshot.Empty;

    public FolderRepository(
        IOptions<FolderStorageOptions> options,
        FolderScanner scanner,
        DistributionInspector inspector,
        TimeProvider time,
        ILogger<FolderRepository> logger,
        IOptions<IndexOptions>? index = null)
    {
        _folders = options.Value.ResolvedFolders();
        _inspector = inspector;
        _time = time;
        _logger = logger;
        _state = new FolderStateDirectory(options.Value.ResolvedStateDirectory(), _folders, logger);
        LegacyRecordMigration.Run(_folders, _state, logger);
        _facts = new FolderFacts(_state, inspector, index?.Value.LinkHash ?? LinkHash.Sha256, file => _snapshot.Find(file.Project, file.Name.Filename), logger);
        _tree = new FolderTree(_folders, scanner);
        CreateUploadFolder();
        SweepStalePartials();
        var listing = System.Diagnostics.Stopwatch.StartNew();
        lock (_scanLock)
        {
            _tree.ScanAll();
            _snapshot = new FolderSnapshot(_tree.Files());
        }

        logger.LogInformation("Listed {Count} files in {Elapsed} ms", _snapshot.FileCount, listing.ElapsedMilliseconds);
    }

    public IReadOnlyList<string> Folders => _folders;

    /// <summary>Where the facts of this folder set are kept.</summary>
    public string StateDirectory => _state.Root;

    /// <summary>How many distribution files the folders serve.</summary>
    public int FileCount => _snapshot.FileCount;

    /// <summary>Looks up (or computes) the facts of every file in the background: what a server does once it starts.</summary>
    public void IndexAll() => _facts.Queue(_snapshot.Files);

    /// <summary>Lists every directory again; returns the projects whose files changed.</summary>
    public IReadOnlySet<string> Rescan() => Apply(tree => tree.ScanAll());

    /// <summary>Lists these directories again (file-system events named them); returns the projects whose files changed.</summary>
    public IReadOnlySet<string> Refresh(IReadOnlyCollection<string> directories) =>
        directories.Count == 0 ? new HashSet<string>() : Apply(tree => tree.Refresh(directories));

    /// <summary>
    /// The cheap look: one stat per directory, a listing only of those that changed, and the records other processes
    /// sharing the state directory wrote (a yank through another node). Returns the projects that changed.
    /// </summary>
    public IReadOnlySet<string> Poll()
    {
        var changed = new HashSet<string>(StringComparer.Ordinal);
        IReadOnlyList<string> stale;
        lock (_scanLock)
        {
            stale = _tree.Stale();
        }

        if (stale.Count > 0)
        {
            changed.UnionWith(Apply(tree => tree.Refresh(stale)));
        }

        var records = _state.ChangedByOthers();
        if (records.Count > 0)
        {
            _facts.Invalidate(records);
            foreach (var filename in records)
            {
                if (Protocol.Filenames.DistributionFilename.TryParse(filename, out var name))
                {
                    changed.Add(name.Project);
                }
            }
        }

        return changed;
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

        var facts = await Task.WhenAll(files.Values.Select(f => _facts.GetAsync(f, cancellationToken)));
        var known = facts.OfType<DistributionFile>().ToList();
        var displayName = known.OrderByDescending(f => f.UploadTime).Select(f => f.DisplayName).FirstOrDefault(n => n is not null) ?? project;
        return new ProjectListing(project, displayName, known);
    }

    public async ValueTask<DownloadTarget?> GetDownloadAsync(string project, string filename, DownloadPart part, CancellationToken cancellationToken)
    {
        var file = _snapshot.Find(project, filename);
        if (file is null)
        {
            return null;
        }

        if (part == DownloadPart.File)
        {
            return file.Size <= HeldFileBytes ? _smallFiles.Get(file) ?? HoldSmallFile(file) : LocalFileOf(file);
        }

        return await CoreMetadataAsync(file, cancellationToken);
    }

    /// <summary>The largest file whose bytes are held in memory once downloaded: any larger is sent from disk as it goes.</summary>
    internal const long HeldFileBytes = 256 * 1024;

    private static LocalFileDownload LocalFileOf(FolderFile file) => new(file.Path, file.Size, file.LastWriteTime, ETagOf(file));

    private static string ETagOf(FolderFile file) => $"\"{file.Size:x}-{file.LastWriteTime.UtcTicks:x}\"";

    /// <summary>
    /// A small file read whole, and held if it still has the size it was listed with; else it is sent from disk as it
    /// is now (one being copied in, say, or gone), as any file is. The read is synchronous: a small file in the page
    /// cache takes less time to read than a hop to another thread would.
    /// </summary>
    private DownloadTarget HoldSmallFile(FolderFile file)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file.Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return LocalFileOf(file);
        }

        if (bytes.Length != file.Size)
        {
            return LocalFileOf(file);
        }

        var download = new BytesDownload(bytes, file.LastWriteTime, ETagOf(file));
        _smallFiles.Set(file, download);
        return download;
    }

    public async Task<byte[]?> ReadCoreMetadataAsync(string project, string filename, CancellationToken cancellationToken) =>
        _snapshot.Find(project, filename) is { } file ? (await CoreMetadataAsync(file, cancellationToken))?.Bytes : null;

    /// <summary>A wheel's served metadata, its hash from the kept facts as its ETag; read from the archive, kept within a budget.</summary>
    private async ValueTask<BytesDownload?> CoreMetadataAsync(FolderFile file, CancellationToken cancellationToken)
    {
        if (_coreMetadata.Get(file) is { } held)
        {
            return held; // only ever held for a file whose facts have its hash
        }

        if ((await _facts.GetAsync(file, cancellationToken))?.CoreMetadataSha256 is not { } sha256
            || await _inspector.ReadCoreMetadataAsync(file.Path, file.Name, cancellationToken) is not { } bytes)
        {
            return null;
        }

        var download = BytesDownload.OfCoreMetadata(bytes, file.LastWriteTime, sha256);
        _coreMetadata.Set(file, download);
        return download;
    }

    public async Task<byte[]?> ReadProvenanceAsync(string project, string filename, CancellationToken cancellationToken)
    {
        if (_snapshot.Find(project, filename) is not { } file || (await _facts.GetAsync(file, cancellationToken))?.ProvenanceSha256 is not { } sha256)
        {
            return null;
        }

        return CompanionBytes.IfIndexed(await _state.ReadProvenanceAsync(file.Name.Filename, cancellationToken), sha256);
    }

    public async Task<AddOutcome> AddAsync(NewDistribution distribution, bool overwrite, CancellationToken cancellationToken)
    {
        var incoming = distribution.File;
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            var existing = _snapshot.Find(incoming.Project, incoming.Filename);
            var target = existing?.Path ?? Path.Combine(_folders[0], incoming.Filename);
            if (existing is not null && await _facts.GetAsync(existing, cancellationToken) is { } current
                && ExistingFileRule.Decide(current.Digests.Sha256, incoming.Digests.Sha256, overwrite) is (AddOutcome.Identical or AddOutcome.Conflict) and var settled)
            {
                return settled;
            }

            var directory = Path.GetDirectoryName(target)!;

            // Stage beside the target under a hidden name, so the rename that publishes it is atomic and a scan never
            // sees a half-written file. The record is written first, for the staged bytes' stamp, which the rename keeps:
            // a process dying between the two leaves a record without a file, never a file without its upload facts.
            var partial = Path.Combine(directory, $".{incoming.Filename}.{Guid.NewGuid():N}.partial");
            try
            {
                Directory.CreateDirectory(directory);
                // Copied asynchronously, so a large upload holds no thread for the whole copy; not cancelled: once the
                // bytes are in, the upload is committed even if the client goes away. Held open until it is renamed:
                // the open handle is what tells a sweep in another process that its writer is alive (LeftoverFiles),
                // and FileShare.Delete lets the rename happen meanwhile.
                await using (var source = OpenRead(distribution.StagedPath))
                await using (var copy = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.Delete, 1 << 16, FileOptions.Asynchronous))
                {
                    await source.CopyToAsync(copy, CancellationToken.None);
                    await copy.FlushAsync(CancellationToken.None);
                    var staged = new FileInfo(partial);
                    _state.WriteProvenance(incoming.Filename, distribution.Provenance);
                    _facts.Put(new FolderFile(directory, StampName(existing, incoming), staged.Length, new DateTimeOffset(staged.LastWriteTimeUtc)), incoming);
                    File.Move(partial, target, overwrite: existing is not null);
                }
            }
            catch (IOException) when (existing is null && File.Exists(target))
            {
                // Another process published the same filename first: settle it by content.
                return ExistingFileRule.Decide(await HashFileAsync(target, cancellationToken), incoming.Digests.Sha256, overwrite: false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException && !IsWritable(directory))
            {
                throw ReadOnly(directory, "uploads", e);
            }
            finally
            {
                DeleteQuietly(partial);
            }

            Apply(tree => tree.Refresh([directory]));
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

            try
            {
                File.Delete(file.Path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException && !IsWritable(file.Directory))
            {
                throw ReadOnly(file.Directory, "removals", e);
            }

            // A file dropped into the folder may never have had a record: nothing to delete is fine.
            _facts.Forget(filename);
            Apply(tree => tree.Refresh([file.Directory]));
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
            if (file is null || await _facts.GetAsync(file, cancellationToken) is not { } facts)
            {
                return false;
            }

            // The yank lives in the state directory, so it works on a read-only package folder too.
            _facts.Change(file, facts, latest => latest with { Yanked = yanked, YankedReason = yanked ? NullIfEmpty(reason) : null });
            return true;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public void Dispose() => _facts.Dispose();

    /// <summary>Applies a change to the tree under the scan lock, swaps in the new snapshot and queues its new files for hashing.</summary>
    private IReadOnlySet<string> Apply(Action<FolderTree> change)
    {
        lock (_scanLock)
        {
            var before = _snapshot;
            change(_tree);
            var after = new FolderSnapshot(_tree.Files());
            _snapshot = after;
            var changed = FolderSnapshot.ChangedProjects(before, after);
            if (changed.Count > 0)
            {
                _facts.Queue(changed.Where(after.Projects.ContainsKey).SelectMany(p => after.Projects[p].Values));
            }

            return changed;
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

        if (Directory.Exists(_folders[0]) && !IsWritable(_folders[0]))
        {
            _logger.LogWarning("{Folder} is read-only: serving it, refusing uploads and removals.", _folders[0]);
        }
    }

    /// <summary>
    /// Deletes what a process killed while writing left behind: hidden <c>.partial</c> copies in the package folders
    /// (never listed, so they block nothing) and unfinished records in the state directory. Only ones older than
    /// <see cref="PartialGracePeriod"/>: another process sharing the folder may be writing one right now.
    /// </summary>
    private void SweepStalePartials()
    {
        var cutoff = _time.GetUtcNow().UtcDateTime - PartialGracePeriod;
        foreach (var folder in _folders.Where(Directory.Exists))
        {
            try
            {
                foreach (var path in LeftoverFiles.DeleteAbandoned(folder, ".*.partial", cutoff, recursive: true))
                {
                    _logger.LogInformation("Deleted {Path}, left by an interrupted upload", path);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _logger.LogWarning("Cannot sweep interrupted uploads in {Folder}: {Reason}", folder, e.Message);
            }
        }

        _state.SweepUnfinished(cutoff);
    }

    /// <summary>Whether files can be created in <paramref name="directory"/> (a read-only mount, or no permission, says no).</summary>
    private static bool IsWritable(string directory)
    {
        var probe = Path.Combine(directory, $".pypilocal-write-test-{Guid.NewGuid():N}");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }

            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static UploadRejectedException ReadOnly(string directory, string what, Exception e) =>
        new(UploadStatus.Forbidden, $"This index serves a read-only package folder ({directory}: {e.Message}); {what} are refused.");

    private static Protocol.Filenames.DistributionFilename StampName(FolderFile? existing, DistributionFile incoming) =>
        existing?.Name ?? (Protocol.Filenames.DistributionFilename.TryParse(incoming.Filename, out var name)
            ? name
            : throw new ArgumentException($"'{incoming.Filename}' is not a distribution filename.", nameof(incoming)));

    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing was created there.
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
