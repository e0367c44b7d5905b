using System.Collections.Concurrent;
using PypiLocal.Core.Caching;

namespace PypiLocal.Core.Catalog.Bucket;

/// <summary>
/// The index entries behind <c>/packages/{project}/{filename}</c> (each names its upload's own key), remembered per
/// project under the page cache's generation for that project, so they are dropped exactly when the pages are:
/// an upload, overwrite or removal through any node is seen at once. Without Redis a node hears of no other node's
/// changes, and entries expire as its pages do (<see cref="IPageCache.MaxAge"/>, <c>Cache:LocalPageTtl</c>); with
/// Redis they stay until the project changes. Bounded in count.
/// </summary>
public sealed class BucketFileLocations(IPageCache pages, TimeProvider time)
{
    private const int MaxProjects = 10_000;
    private readonly ConcurrentDictionary<string, Remembered> _projects = new(StringComparer.Ordinal);

    /// <summary>
    /// The entries of <paramref name="project"/> by filename, from memory or from <paramref name="read"/> (given the
    /// project, so one delegate serves every call). A value task: remembered entries are found without allocating.
    /// </summary>
    public async ValueTask<IReadOnlyDictionary<string, DistributionFile>> GetAsync(
        string project,
        Func<string, CancellationToken, Task<IReadOnlyList<DistributionFile>>> read,
        CancellationToken cancellationToken)
    {
        // Every change to the project advances it (IPageCache.InvalidateProjectAsync).
        var generation = await pages.GetGenerationAsync(project, cancellationToken);
        if (generation >= 0 && _projects.TryGetValue(project, out var known) && known.Generation == generation
            && (pages.MaxAge is not { } maxAge || time.GetElapsedTime(known.ReadAt) < maxAge))
        {
            return known.Files;
        }

        var files = (await read(project, cancellationToken)).ToDictionary(f => f.Filename, StringComparer.Ordinal);
        if (generation >= 0)
        {
            if (_projects.Count >= MaxProjects)
            {
                _projects.Clear();
            }

            _projects[project] = new Remembered(generation, time.GetTimestamp(), files);
        }

        return files;
    }

    /// <summary>Forgets a project on this node (its own writes), ahead of the page invalidation that follows them.</summary>
    public void Forget(string project) => _projects.TryRemove(project, out _);

    private sealed record Remembered(long Generation, long ReadAt, IReadOnlyDictionary<string, DistributionFile> Files);
}
