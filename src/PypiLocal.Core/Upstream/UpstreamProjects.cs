using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Diagnostics;

namespace PypiLocal.Core.Upstream;

/// <summary>A kept upstream page and until when it may be served without asking the upstream again.</summary>
public sealed record UpstreamView(UpstreamDocument Document, UpstreamIndex Index, DateTimeOffset FreshUntil);

/// <summary>
/// Upstream project pages: asked of the indexes in order (the first that has the project wins), kept in the
/// upstream cache with their validators, revalidated after the TTL with a conditional request. When an upstream
/// fails or is slow, the kept page is served (stale-if-error) and the failure shows in /health; with nothing kept, the failure
/// is the answer (never a fall-through to a later index, which could hand out someone else's project of that name).
/// "Not found anywhere" is remembered in memory for the not-found TTL. One refresh per project at a time per node.
/// </summary>
public sealed class UpstreamProjects
{
    // After a failed revalidation, the kept page is served this long (at most) before the upstream is asked again.
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a client waits for the revalidation of a kept page before it gets the kept page: well within pip's
    /// 15-second timeout, however long the upstream takes (up to three attempts of <c>Upstream:RequestTimeout</c>).
    /// </summary>
    public static readonly TimeSpan SlowAnswer = TimeSpan.FromSeconds(5);

    private readonly UpstreamOptions _options;
    private readonly ProjectNamePatterns _names;
    private readonly UpstreamStore _store;
    private readonly UpstreamClient _client;
    private readonly UpstreamHealth _health;
    private readonly TimeProvider _time;
    private readonly ILogger<UpstreamProjects> _logger;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _notFound = new(StringComparer.Ordinal);
    // Parsed documents by project, with the stored version they were read at and when a stat last confirmed it: reused
    // while a stat says it is unchanged (another node may have revalidated or purged it).
    private readonly ConcurrentDictionary<string, (UpstreamDocument Document, string? Version, DateTimeOffset? RetryAt, long ConfirmedAt)> _memory = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<UpstreamView?>>> _refreshes = new(StringComparer.Ordinal);

    public UpstreamProjects(IOptions<UpstreamOptions> options, UpstreamStore store, UpstreamClient client, UpstreamHealth health, TimeProvider time, ILogger<UpstreamProjects> logger)
    {
        _options = options.Value;
        Indexes = UpstreamIndex.From(_options);
        _names = new ProjectNamePatterns(_options.Allow, _options.Deny);
        _store = store;
        _client = client;
        _health = health;
        _time = time;
        _logger = logger;
    }

    public IReadOnlyList<UpstreamIndex> Indexes { get; }

    public bool Enabled => Indexes.Count > 0;

    /// <summary>Whether a (normalized) project may come from upstream at all: indexes configured and the name allowed.</summary>
    public bool MayFetch(string project) => Enabled && _names.Allows(project);

    /// <summary>
    /// The project's upstream page: kept and fresh, revalidated when due, or fetched; null when no upstream has it
    /// (or its name may not come from upstream). Throws <see cref="UpstreamUnavailableException"/> when an upstream
    /// fails and nothing is kept. <paramref name="trustFor"/>: how long a copy in memory that storage confirmed may be
    /// used without asking storage again (downloads, whose bytes are checked anyway; pages ask every time).
    /// </summary>
    public async Task<UpstreamView?> GetAsync(string project, CancellationToken cancellationToken, TimeSpan trustFor = default)
    {
        if (!MayFetch(project))
        {
            return null;
        }

        var now = _time.GetUtcNow();
        if (_notFound.TryGetValue(project, out var until) && until > now)
        {
            return null;
        }

        var remembered = _memory.TryGetValue(project, out var entry);
        var trusted = remembered && trustFor > TimeSpan.Zero && _time.GetElapsedTime(entry.ConfirmedAt) < trustFor;
        var version = trusted ? entry.Version : await _store.DocumentVersionAsync(project, cancellationToken);
        var kept = version is null ? null
            : remembered && entry.Version == version ? entry.Document
            : await _store.ReadAsync(project, cancellationToken);
        if (kept is null)
        {
            _memory.TryRemove(project, out _);
        }
        else if (IndexOf(kept) is { } index)
        {
            // A failed revalidation of this very page is not retried before its time.
            var retryAt = remembered && entry.Document.FetchedAt == kept.FetchedAt ? entry.RetryAt : null;
            if (!trusted)
            {
                _memory[project] = (kept, version, retryAt, _time.GetTimestamp());
            }

            var freshUntil = kept.FetchedAt + index.Ttl;
            if (now < freshUntil)
            {
                return new UpstreamView(kept, index, freshUntil);
            }

            if (retryAt > now)
            {
                return new UpstreamView(kept, index, retryAt.Value);
            }
        }

        // One refresh per project on this node; callers arriving meanwhile share it.
        var refresh = _refreshes.GetOrAdd(project, p => new Lazy<Task<UpstreamView?>>(() => RefreshOnceAsync(p, kept))).Value;
        if (kept is not null && IndexOf(kept) is { } servable && !refresh.IsCompleted)
        {
            // A slow upstream is treated like a failing one by the client waiting now: it gets the kept page, and the
            // revalidation goes on, kept for the requests that come after it.
            using var slow = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var first = await Task.WhenAny(refresh, Task.Delay(SlowAnswer, _time, slow.Token));
            await slow.CancelAsync();
            if (first != refresh)
            {
                cancellationToken.ThrowIfCancellationRequested();
                _logger.LogWarning("Serving the kept page of {Project} fetched {FetchedAt:u}: {Index} has not answered in {Seconds} s", project, kept.FetchedAt, servable.Name, SlowAnswer.TotalSeconds);
                return new UpstreamView(kept, servable, now + SlowAnswer);
            }
        }

        return await refresh.WaitAsync(cancellationToken);
    }

    /// <summary>Forgets what this node remembers of a project (after a purge), so the next request reads storage again.</summary>
    public void Forget(string project)
    {
        _memory.TryRemove(project, out _);
        _notFound.TryRemove(project, out _);
    }

    /// <summary>The index a kept document came from, while it is still configured.</summary>
    public UpstreamIndex? IndexOf(UpstreamDocument document) => Indexes.FirstOrDefault(i => i.Name == document.Index);

    // Leaves the table when over, not when its first caller stops waiting: a slow one goes on after its callers left.
    private async Task<UpstreamView?> RefreshOnceAsync(string project, UpstreamDocument? kept)
    {
        try
        {
            return await RefreshAsync(project, kept);
        }
        finally
        {
            _refreshes.TryRemove(project, out _);
        }
    }

    // Not cancelled by one caller: others may be waiting on the same refresh.
    private async Task<UpstreamView?> RefreshAsync(string project, UpstreamDocument? kept)
    {
        var now = _time.GetUtcNow();
        foreach (var index in Indexes)
        {
            var result = await _client.GetPageAsync(index, project, kept, CancellationToken.None);
            PypiLocalMetrics.RecordUpstreamFetch("page", result switch
            {
                UpstreamFound => "kept",
                UpstreamNotModified => "not-modified",
                UpstreamNotFound => "not-found",
                _ => "failed",
            });
            switch (result)
            {
                case UpstreamNotFound:
                    _health.Succeeded(index.Name);
                    continue;

                case UpstreamNotModified notModified when kept is not null:
                    _health.Succeeded(index.Name);
                    return await KeepAsync(kept with
                    {
                        FetchedAt = now,
                        ETag = notModified.ETag ?? kept.ETag,
                        LastModified = notModified.LastModified ?? kept.LastModified,
                    }, index);

                case UpstreamFound found:
                    _health.Succeeded(index.Name);
                    var document = await BuildAsync(project, index, found, kept, now);
                    _logger.LogInformation("Fetched {Project} from {Index}: {Count} files", project, index.Name, document.Files.Count);
                    return await KeepAsync(document, index);

                case UpstreamFailed failed:
                    _health.Failed(index.Name, failed.Reason);
                    if (kept is not null && IndexOf(kept) is { } keptIndex)
                    {
                        var retryAt = now + (keptIndex.Ttl < RetryAfterFailure ? keptIndex.Ttl : RetryAfterFailure);
                        _memory.AddOrUpdate(project, _ => (kept, null, retryAt, 0), (_, old) => (kept, old.Version, retryAt, old.ConfirmedAt));
                        _logger.LogWarning("Serving the kept page of {Project} fetched {FetchedAt:u}: {Reason}", project, kept.FetchedAt, failed.Reason);
                        return new UpstreamView(kept, keptIndex, retryAt);
                    }

                    _logger.LogWarning("No page of {Project}: {Reason}", project, failed.Reason);
                    throw new UpstreamUnavailableException($"Upstream index {failed.Reason}");

                default:
                    // A 304 to a request without validators: treat the index as failing rather than guess.
                    _health.Failed(index.Name, $"{index.Name} answered 304 to an unconditional request");
                    throw new UpstreamUnavailableException($"Upstream index {index.Name} answered 304 to an unconditional request for '{project}'.");
            }
        }

        return await NotFoundAnywhereAsync(project, kept, now);
    }

    /// <summary>No index has it (any more). Files kept in the cache stay available when the setting says so.</summary>
    private async Task<UpstreamView?> NotFoundAnywhereAsync(string project, UpstreamDocument? kept, DateTimeOffset now)
    {
        if (kept is not null && IndexOf(kept) is { } index)
        {
            var cached = await CachedRemovedFilesAsync(project, kept.Files, now);
            if (cached.Count > 0)
            {
                return await KeepAsync(kept with { FetchedAt = now, Files = cached }, index);
            }
        }

        _memory.TryRemove(project, out _);
        _notFound[project] = now + _options.NotFoundTtl;
        if (kept is not null)
        {
            await _store.PurgeAsync(project, null, CancellationToken.None);
        }

        return null;
    }

    private async Task<UpstreamView> KeepAsync(UpstreamDocument document, UpstreamIndex index)
    {
        var version = await _store.WriteAsync(document, CancellationToken.None);
        _memory[document.Project] = (document, version, null, _time.GetTimestamp());
        _notFound.TryRemove(document.Project, out _);
        return new UpstreamView(document, index, document.FetchedAt + index.Ttl);
    }

    /// <summary>
    /// The kept document for a fetched page: every distribution of the project the upstream lists, with its facts as
    /// given; files gone upstream but whose bytes are cached, when kept; cached bytes that no longer match the
    /// upstream's hash for their name are dropped, so they are fetched again.
    /// </summary>
    private async Task<UpstreamDocument> BuildAsync(string project, UpstreamIndex index, UpstreamFound found, UpstreamDocument? kept, DateTimeOffset now)
    {
        var files = new List<UpstreamFile>();
        foreach (var file in found.Page.Page.Files)
        {
            if (UpstreamFile.From(project, file) is not { } entry || files.Any(f => f.Filename == file.Filename))
            {
                _logger.LogDebug("Left out of {Project} from {Index}: {Filename} is not one of its distributions", project, index.Name, file.Filename);
                continue;
            }

            if (kept?.Find(file.Filename) is { } old && old.Sha256 != file.Sha256)
            {
                _logger.LogWarning("{Index} changed the bytes of {Filename}; the cached copy is dropped", index.Name, file.Filename);
                await _store.PurgeAsync(project, file.Filename, CancellationToken.None);
            }

            files.Add(entry);
        }

        if (kept is not null)
        {
            files.AddRange(await CachedRemovedFilesAsync(project, kept.Files.Where(f => files.All(n => n.Filename != f.Filename)), now));
        }

        return new UpstreamDocument(project, index.Name, found.PageUrl.AbsoluteUri, now, found.ETag, found.LastModified,
            found.Page.Page.Status, found.Page.Page.Versions, files);
    }

    /// <summary>Of <paramref name="gone"/>, those whose bytes are cached, marked removed (when <see cref="UpstreamOptions.KeepRemovedFiles"/>).</summary>
    private async Task<List<UpstreamFile>> CachedRemovedFilesAsync(string project, IEnumerable<UpstreamFile> gone, DateTimeOffset now)
    {
        var kept = new List<UpstreamFile>();
        if (!_options.KeepRemovedFiles)
        {
            return kept;
        }

        foreach (var file in gone)
        {
            if (await _store.StatAsync(project, file.Filename, DownloadPart.File, CancellationToken.None) is not null)
            {
                kept.Add(file with { RemovedAt = file.RemovedAt ?? now });
            }
        }

        return kept;
    }
}
