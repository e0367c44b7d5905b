using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PypiLocal.Core.Caching;

namespace PypiLocal.Core.Folder;

/// <summary>
/// Picks up files that other tools add, replace or remove in the folders, and drops the cached pages of the projects
/// that changed. File-system events (inotify) name the directory that changed at once; a poll backs them up where
/// events do not arrive (network shares, some bind mounts): one stat per directory each
/// <see cref="FolderStorageOptions.RescanInterval"/>, a listing only of a directory that changed, and a full listing
/// every <see cref="FolderStorageOptions.FullRescanInterval"/>. A quiet folder of 10,000 files costs next to nothing.
/// </summary>
internal sealed class FolderWatcher(
    FolderRepository repository,
    IPageCache cache,
    IOptions<FolderStorageOptions> options,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<FolderWatcher> logger) : BackgroundService
{
    // Events come in bursts (a copy is create, many writes, close); wait this long for the burst to end.
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(100);

    private readonly ConcurrentDictionary<string, byte> _dirty = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _signal = new(0, 1);
    private volatile bool _overflowed;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Looking up every file's facts waits until the server listens, so it never slows the start; a page asked for
        // before then reads the records it needs itself.
        await WhenStartedAsync(stoppingToken);
        repository.IndexAll();
        logger.LogInformation("Serving {Count} files from {Folders}; file facts kept in {State}",
            repository.FileCount, string.Join(", ", repository.Folders), repository.StateDirectory);

        var watchers = options.Value.WatchEvents ? StartWatchers() : [];
        try
        {
            using var poll = new PeriodicTimer(options.Value.RescanInterval, time);
            var nextFull = time.GetUtcNow() + options.Value.FullRescanInterval;
            var tick = poll.WaitForNextTickAsync(stoppingToken).AsTask();
            var signalled = _signal.WaitAsync(stoppingToken);
            while (true)
            {
                if (await Task.WhenAny(tick, signalled) == signalled)
                {
                    await signalled;
                    await Task.Delay(Debounce, time, stoppingToken);
                    var directories = TakeEvents();
                    signalled = _signal.WaitAsync(stoppingToken);
                    await PublishAsync(() => repository.Refresh(directories), stoppingToken);
                    continue;
                }

                await tick;
                tick = poll.WaitForNextTickAsync(stoppingToken).AsTask();
                if (_overflowed || time.GetUtcNow() >= nextFull)
                {
                    _overflowed = false;
                    nextFull = time.GetUtcNow() + options.Value.FullRescanInterval;
                    await PublishAsync(repository.Rescan, stoppingToken);
                }
                else
                {
                    await PublishAsync(repository.Poll, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            foreach (var watcher in watchers)
            {
                watcher.Dispose();
            }
        }
    }

    private async Task WhenStartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);
    }

    private List<string> TakeEvents()
    {
        var directories = _dirty.Keys.ToList();
        foreach (var directory in directories)
        {
            _dirty.TryRemove(directory, out _);
        }

        return directories;
    }

    private async Task PublishAsync(Func<IReadOnlySet<string>> look, CancellationToken stoppingToken)
    {
        try
        {
            foreach (var project in look())
            {
                logger.LogInformation("Files of {Project} changed on disk", project);
                await cache.InvalidateProjectAsync(project, stoppingToken);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Looking at the folders failed, will retry: {Reason}", e.Message);
        }
    }

    private List<FileSystemWatcher> StartWatchers()
    {
        var watchers = new List<FileSystemWatcher>();
        foreach (var folder in repository.Folders.Where(Directory.Exists))
        {
            try
            {
                var watcher = new FileSystemWatcher(folder)
                {
                    IncludeSubdirectories = true,
                    NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
                    InternalBufferSize = 64 * 1024,
                };
                watcher.Created += (_, e) => OnChange(e.FullPath);
                watcher.Deleted += (_, e) => OnChange(e.FullPath);
                watcher.Changed += (_, e) => OnChange(e.FullPath);
                watcher.Renamed += (_, e) =>
                {
                    OnChange(e.OldFullPath);
                    OnChange(e.FullPath);
                };
                watcher.Error += (_, e) =>
                {
                    // Events were lost (a burst overflowed the queue): the next tick lists everything.
                    logger.LogDebug("File-system events lost under {Folder}: {Reason}", folder, e.GetException().Message);
                    _overflowed = true;
                };
                watcher.EnableRaisingEvents = true;
                watchers.Add(watcher);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or PlatformNotSupportedException)
            {
                logger.LogInformation("No file-system events for {Folder} ({Reason}); polling it every {Interval}.", folder, e.Message, options.Value.RescanInterval);
            }
        }

        return watchers;
    }

    private void OnChange(string path)
    {
        // Our own temporary files (hidden names) change nothing a page shows; the rename that publishes them does.
        if (Path.GetFileName(path).StartsWith('.'))
        {
            return;
        }

        _dirty.TryAdd(Path.GetDirectoryName(path) ?? path, 0);
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled.
            }
        }
    }
}
