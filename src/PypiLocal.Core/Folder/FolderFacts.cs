using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using PypiLocal.Core.Archives;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Diagnostics;
using PypiLocal.Core.Hashing;
using PypiLocal.Core.Inspection;

namespace PypiLocal.Core.Folder;

/// <summary>
/// The facts of every file in the folders: held in memory, kept in the <see cref="FolderStateDirectory"/>, and computed
/// off the request path by background workers. A request that needs the facts of a file not yet hashed moves it to the
/// front of the queue and waits for it, so a page never leaves out a file that is in the folder (which could make pip
/// pick an older version without a word); it waits for that project's new files only, never for the whole folder.
/// </summary>
internal sealed class FolderFacts : IDisposable
{
    private readonly FolderStateDirectory _state;
    private readonly DistributionInspector _inspector;
    private readonly LinkHash _linkHash;
    private readonly Func<FolderFile, FolderFile?> _current;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, (FolderFile Stamp, DistributionFile Facts)> _known = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<DistributionFile?>> _pending = new(StringComparer.Ordinal);

    // Files a worker is establishing now: a file queued twice (background, then urgent) is hashed once.
    private readonly ConcurrentDictionary<string, byte> _working = new(StringComparer.Ordinal);

    // Every write of facts (and the read it is based on) happens under this lock, so a yank and a worker establishing
    // the same file's facts at the same moment cannot overwrite each other.
    private readonly Lock _writing = new();
    private readonly ConcurrentQueue<FolderFile> _urgent = new();
    private readonly ConcurrentQueue<FolderFile> _background = new();
    private readonly SemaphoreSlim _urgentQueued = new(0);
    private readonly SemaphoreSlim _anyQueued = new(0, 1);
    private readonly CancellationTokenSource _stopping = new();
    private int _started;

    // Files established in one go, after which the memory their reading used is handed back.
    private const int LargeBatch = 1000;

    /// <param name="state">Where facts are kept between runs.</param>
    /// <param name="inspector">Reads each file's digests and core metadata, within the archive limits.</param>
    /// <param name="linkHash">The link digest in use: facts without it are computed again, once.</param>
    /// <param name="current">The file as the folders hold it now (its stamp may have moved on), or null when it is gone.</param>
    /// <param name="logger">For files that cannot be read.</param>
    public FolderFacts(FolderStateDirectory state, DistributionInspector inspector, LinkHash linkHash, Func<FolderFile, FolderFile?> current, ILogger logger)
    {
        _state = state;
        _inspector = inspector;
        _linkHash = linkHash;
        _current = current;
        _logger = logger;
        FolderMetrics.Announce();
    }

    /// <summary>The facts of the file's current bytes when known (memory, else its record), without computing anything.</summary>
    public DistributionFile? TryGet(FolderFile file)
    {
        var filename = file.Name.Filename;
        if (_known.TryGetValue(filename, out var entry) && entry.Stamp.SameStamp(file))
        {
            return entry.Facts;
        }

        lock (_writing)
        {
            if (_state.Read(filename) is { } stored && stored.Describes(file) && HasLinkDigest(stored.File))
            {
                var facts = file.SharingStrings(stored.File);
                _known[filename] = (file, facts);
                return facts;
            }
        }

        return null;
    }

    /// <summary>The facts of the file: known ones at once, else computed by a worker ahead of the background queue.</summary>
    public async Task<DistributionFile?> GetAsync(FolderFile file, CancellationToken cancellationToken)
    {
        if (TryGet(file) is { } facts)
        {
            return facts;
        }

        var pending = Pending(file.Name.Filename);
        Enqueue(_urgent, file);
        return await pending.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Looks up, or else computes, the facts of these files in the background (a start, or files that just appeared).</summary>
    public void Queue(IEnumerable<FolderFile> files)
    {
        foreach (var file in files)
        {
            if (_known.TryGetValue(file.Name.Filename, out var entry) && entry.Stamp.SameStamp(file))
            {
                continue;
            }

            Pending(file.Name.Filename);
            Enqueue(_background, file);
        }
    }

    /// <summary>
    /// Records facts this process established itself (an upload) for the file with that stamp; throws when the state
    /// directory cannot keep them (a full disk), so the upload is refused instead of losing its uploader and time.
    /// </summary>
    public void Put(FolderFile stamp, DistributionFile facts)
    {
        lock (_writing)
        {
            Write(stamp, facts, mustKeep: true);
        }
    }

    /// <summary>
    /// Changes the facts of a file whose facts are known (a yank), starting from the latest ones: a worker that
    /// establishes the same file's facts at the same moment keeps the change, and the change keeps its facts.
    /// </summary>
    public void Change(FolderFile file, DistributionFile known, Func<DistributionFile, DistributionFile> change)
    {
        lock (_writing)
        {
            var latest = _known.TryGetValue(file.Name.Filename, out var entry) && entry.Stamp.SameStamp(file) ? entry.Facts : known;
            Write(file, change(latest), mustKeep: true);
        }
    }

    private void Write(FolderFile stamp, DistributionFile facts, bool mustKeep = false)
    {
        if (mustKeep)
        {
            _state.Keep(stamp.Name.Filename, StoredFacts.For(stamp, facts));
        }
        else
        {
            _state.Write(stamp.Name.Filename, StoredFacts.For(stamp, facts));
        }

        _known[stamp.Name.Filename] = (stamp, stamp.SharingStrings(facts));
    }

    /// <summary>Forgets a removed file, here and in the state directory.</summary>
    public void Forget(string filename)
    {
        _known.TryRemove(filename, out _);
        _state.Delete(filename);
    }

    /// <summary>Drops what memory holds for files whose records another process changed; the next look reads them again.</summary>
    public void Invalidate(IEnumerable<string> filenames)
    {
        foreach (var filename in filenames)
        {
            _known.TryRemove(filename, out _);
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        foreach (var pending in _pending.Values)
        {
            pending.TrySetResult(null);
        }
    }

    private TaskCompletionSource<DistributionFile?> Pending(string filename) =>
        _pending.GetOrAdd(filename, _ =>
        {
            FolderMetrics.PendingChanged(1);
            return new TaskCompletionSource<DistributionFile?>(TaskCreationOptions.RunContinuationsAsynchronously);
        });

    private void Enqueue(ConcurrentQueue<FolderFile> queue, FolderFile file)
    {
        queue.Enqueue(file);
        if (queue == _urgent)
        {
            _urgentQueued.Release();
        }

        if (_anyQueued.CurrentCount == 0)
        {
            try
            {
                _anyQueued.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled.
            }
        }

        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            // One worker goes through the background queue, so a start with thousands of files to look up leaves the
            // other cores to requests; the others take only what a request waits for, so a big file never holds up a page.
            _ = Task.Run(BackgroundWorkAsync);
            for (var i = 1; i < Math.Max(2, Environment.ProcessorCount / 2); i++)
            {
                _ = Task.Run(UrgentWorkAsync);
            }
        }
    }

    private async Task BackgroundWorkAsync()
    {
        try
        {
            var established = 0;
            while (true)
            {
                if (_urgent.TryDequeue(out var file) || _background.TryDequeue(out file))
                {
                    await ProcessAsync(file);
                    established++;
                }
                else
                {
                    if (established >= LargeBatch)
                    {
                        // A start or a large drop-in read thousands of archives and records; what they allocated is
                        // garbage now. An aggressive collection gives that memory back to the system at once rather
                        // than holding it until the next burst: about 10 MiB resident with 10,000 files (bench/README.md).
                        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                    }

                    established = 0;
                    await _anyQueued.WaitAsync(_stopping.Token);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task UrgentWorkAsync()
    {
        try
        {
            while (true)
            {
                await _urgentQueued.WaitAsync(_stopping.Token);
                if (_urgent.TryDequeue(out var file))
                {
                    await ProcessAsync(file);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>Establishes one file's facts, unless another worker already did (a file can be queued twice).</summary>
    private async Task ProcessAsync(FolderFile queued)
    {
        var filename = queued.Name.Filename;
        if (!_pending.ContainsKey(filename) || !_working.TryAdd(filename, 0))
        {
            return;
        }

        DistributionFile? facts = null;
        try
        {
            // A file still being written changes under the hash: hash it again once it holds still.
            for (var attempt = 0; attempt < 20 && !_stopping.IsCancellationRequested; attempt++)
            {
                if (_current(queued) is not { } file)
                {
                    break;
                }

                if ((facts = TryGet(file)) is not null)
                {
                    break;
                }

                var computed = await ComputeAsync(file);
                if (computed is null || SameStampOnDisk(file))
                {
                    facts = computed is null ? null : Remember(file, computed);
                    break;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250), _stopping.Token);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            // Released before the waiters are answered: a file queued again after this answer gets a worker.
            _working.TryRemove(filename, out _);
            if (_pending.TryRemove(filename, out var pending))
            {
                FolderMetrics.PendingChanged(-1);
                pending.TrySetResult(facts);
            }
        }
    }

    /// <summary>The facts of new bytes, keeping the upload facts of an earlier record when the bytes are the same (a touched or moved file).</summary>
    private DistributionFile Remember(FolderFile file, DistributionFile computed)
    {
        var filename = file.Name.Filename;
        lock (_writing)
        {
            var earlier = _known.TryGetValue(filename, out var entry) ? entry.Facts : _state.Read(filename)?.File;
            var facts = earlier is not null && earlier.Digests.Sha256 == computed.Digests.Sha256
                ? computed with
                {
                    UploadTime = earlier.UploadTime,
                    DisplayName = earlier.DisplayName ?? computed.DisplayName,
                    Uploader = earlier.Uploader,
                    Yanked = earlier.Yanked,
                    YankedReason = earlier.YankedReason,
                }
                : computed;
            Write(file, facts);
            return facts;
        }
    }

    /// <summary>
    /// Reads the file once: what its bytes say, first seen at its modification time. A corrupt archive is still listed,
    /// without core metadata; a vanished or unreadable one is left out.
    /// </summary>
    private async Task<DistributionFile?> ComputeAsync(FolderFile file)
    {
        FolderMetrics.FileHashed();
        try
        {
            return (await _inspector.InspectAsync(file.Path, file.Name, _stopping.Token, _linkHash)).ToFile(file.LastWriteTime);
        }
        catch (ArchiveException e)
        {
            _logger.LogWarning("Serving {Path} without core metadata: {Reason}", file.Path, e.Message);
            await using var stream = new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            var digests = await FileDigester.ComputeAsync(stream, _stopping.Token, _linkHash);
            return new DistributionFile(file.Name.Project, file.Name.Filename, file.Name.Version.ToString(), file.Name.Kind, file.Size, digests, file.LastWriteTime);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning("Skipping {Path}: {Reason}", file.Path, e.Message);
            return null;
        }
    }

    private static bool SameStampOnDisk(FolderFile file)
    {
        var info = new FileInfo(file.Path);
        return info.Exists && info.Length == file.Size && new DateTimeOffset(info.LastWriteTimeUtc) == file.LastWriteTime;
    }

    /// <summary>sha1 and sha512 are computed only when links carry them; a record from before lacks them and is computed once more.</summary>
    private bool HasLinkDigest(DistributionFile file) => _linkHash switch
    {
        LinkHash.Sha1 => file.Digests.Sha1 is not null,
        LinkHash.Sha512 => file.Digests.Sha512 is not null,
        _ => true,
    };
}
