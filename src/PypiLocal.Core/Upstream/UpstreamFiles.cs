using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Diagnostics;
using PypiLocal.Core.Folder;
using PypiLocal.Core.IO;

namespace PypiLocal.Core.Upstream;

/// <summary>
/// Upstream files and their <c>.metadata</c>: served from the upstream cache when kept, else fetched once per node
/// however many clients ask at the same time (they all read the one <see cref="UpstreamFetch"/>). Across nodes the
/// store's create-only write decides whose verified copy is kept; the bytes are the same.
/// </summary>
public sealed class UpstreamFiles(UpstreamStore store, UpstreamClient client, UpstreamHealth health, ILogger<UpstreamFiles> logger) : IDisposable
{
    private readonly ConcurrentDictionary<(string Project, string Filename, DownloadPart Part), UpstreamFetch> _fetches = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly string _temporary = SweptTemporaryDirectory(logger);

    // A node killed mid-fetch leaves its partial copy here; one older than the grace period belongs to nobody (a fetch
    // writes as the bytes come, and a stalled one times out long before), so it goes when the next node starts.
    private static string SweptTemporaryDirectory(ILogger logger)
    {
        var directory = Path.Combine(Path.GetTempPath(), "pypilocal-upstream");
        if (!Directory.Exists(directory))
        {
            return directory;
        }

        try
        {
            foreach (var path in LeftoverFiles.DeleteOlderThan(directory, "*.part", DateTime.UtcNow - FolderRepository.PartialGracePeriod))
            {
                logger.LogInformation("Deleted {Path}, left by an interrupted upstream fetch", path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Cannot sweep interrupted upstream fetches in {Directory}: {Reason}", directory, e.Message);
        }

        return directory;
    }

    /// <summary>The kept bytes (redirect or stream), else the fetch of them, joined or started.</summary>
    public async Task<(DownloadTarget? Cached, UpstreamFetch? Fetch)> GetAsync(UpstreamIndex index, string project, UpstreamFile file, DownloadPart part, CancellationToken cancellationToken)
    {
        if (await store.GetDownloadAsync(project, file.Filename, part, cancellationToken) is { } cached)
        {
            return (cached, null);
        }

        return (null, Join(index, project, file, part));
    }

    private UpstreamFetch Join(UpstreamIndex index, string project, UpstreamFile file, DownloadPart part)
    {
        var key = (project, file.Filename, part);
        while (true)
        {
            if (_fetches.TryGetValue(key, out var running))
            {
                if (!running.Completion.IsCompleted)
                {
                    return running;
                }

                // Over, but not yet removed: a request that comes after a failed fetch must start a new one.
                _fetches.TryRemove(new KeyValuePair<(string, string, DownloadPart), UpstreamFetch>(key, running));
                continue;
            }

            Directory.CreateDirectory(_temporary);
            var fetch = new UpstreamFetch(project, file.Filename, part, Path.Combine(_temporary, $"{Guid.NewGuid():N}.part"));
            if (_fetches.TryAdd(key, fetch))
            {
                _ = RunAsync(index, file, fetch, key);
                return fetch;
            }

            // Another request started the fetch first: this one never runs, so its empty file goes now.
            fetch.Abandon();
        }
    }

    private async Task RunAsync(UpstreamIndex index, UpstreamFile file, UpstreamFetch fetch, (string, string, DownloadPart) key)
    {
        try
        {
            // Kept meanwhile (by this node just before, or another node): nothing to fetch.
            if (await IsKeptAsync(fetch))
            {
                fetch.CompleteFromCache();
                return;
            }

            var metadata = fetch.Part == DownloadPart.CoreMetadata;
            var url = metadata ? file.MetadataUrl : new Uri(file.Url);
            await fetch.RunAsync(
                ct => client.GetFileAsync(index, url, ct),
                metadata ? file.CoreMetadataSha256! : file.Sha256,
                metadata ? null : file.Size,
                (path, ct) => store.KeepAsync(fetch.Project, fetch.Filename, fetch.Part, path, ct),
                _stopping.Token);
            var outcome = await fetch.Completion;
            PypiLocalMetrics.RecordUpstreamFetch(metadata ? "metadata" : "file", outcome.Kept ? "kept" : outcome.NotFound ? "not-found" : "failed");
            if (outcome.Kept)
            {
                health.Succeeded(index.Name);
                logger.LogInformation("Kept {Filename}{Part} from {Index} ({Bytes} bytes)", fetch.Filename, metadata ? ".metadata" : "", index.Name, fetch.Written);
            }
            else
            {
                if (!outcome.NotFound)
                {
                    health.Failed(index.Name, outcome.Failure!);
                }

                logger.LogWarning("{Reason}", outcome.Failure);
            }
        }
        finally
        {
            _fetches.TryRemove(new KeyValuePair<(string, string, DownloadPart), UpstreamFetch>(key, fetch));
        }
    }

    // A store that cannot say is no reason not to fetch: the create-only write settles it.
    private async Task<bool> IsKeptAsync(UpstreamFetch fetch)
    {
        try
        {
            return await store.StatAsync(fetch.Project, fetch.Filename, fetch.Part, _stopping.Token) is not null;
        }
        catch (IOException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }
}
