using PypiLocal.Core.Caching;

namespace PypiLocal.Core.Upstream;

/// <summary>A project in the upstream cache, as <c>pypilocal cache list</c> shows it.</summary>
/// <param name="Listed">Files its kept page lists.</param>
/// <param name="Cached">Files whose bytes are kept.</param>
/// <param name="Bytes">Bytes kept (files and metadata).</param>
public sealed record CachedProject(string Project, string? Index, DateTimeOffset? FetchedAt, int Listed, int Cached, long Bytes);

/// <summary>One file of a cached project: its upstream facts and whether its bytes are kept.</summary>
public sealed record CachedFile(UpstreamFile File, bool Cached, long? Bytes);

/// <summary>
/// The upstream cache as an operator sees it: what is kept, and purging a project or a file everywhere at once (the
/// objects go from the shared store, the pages from the shared page cache, and this node forgets what it remembered).
/// </summary>
public sealed class UpstreamCache(UpstreamStore store, UpstreamProjects projects, IPageCache pages)
{
    public string Location => store.Location;

    public async Task<IReadOnlyList<CachedProject>> ListAsync(CancellationToken cancellationToken)
    {
        var result = new List<CachedProject>();
        await foreach (var project in store.ListProjectsAsync(cancellationToken))
        {
            var document = await store.ReadAsync(project, cancellationToken);
            var kept = await store.ListFilesAsync(project, cancellationToken);
            result.Add(new CachedProject(
                project,
                document?.Index,
                document?.FetchedAt,
                document?.Files.Count ?? 0,
                document?.Files.Count(f => kept.ContainsKey(f.Filename)) ?? 0,
                kept.Values.Sum(b => b.Length)));
        }

        return result;
    }

    /// <summary>A cached project's files, or null when nothing of it is kept.</summary>
    public async Task<IReadOnlyList<CachedFile>?> DescribeAsync(string project, CancellationToken cancellationToken)
    {
        if (await store.ReadAsync(project, cancellationToken) is not { } document)
        {
            return null;
        }

        var kept = await store.ListFilesAsync(project, cancellationToken);
        return document.Files
            .Select(f => new CachedFile(f, kept.ContainsKey(f.Filename), kept.TryGetValue(f.Filename, out var blob) ? blob.Length : null))
            .ToList();
    }

    /// <summary>Removes a kept project (page and files) or one file and its metadata; returns how many objects went.</summary>
    public async Task<int> PurgeAsync(string project, string? filename, CancellationToken cancellationToken)
    {
        var removed = await store.PurgeAsync(project, filename, cancellationToken);
        projects.Forget(project);
        await pages.InvalidateProjectAsync(project, cancellationToken);
        return removed;
    }
}
