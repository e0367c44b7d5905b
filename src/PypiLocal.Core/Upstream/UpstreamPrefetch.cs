using PypiLocal.Core.Archives;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Inspection;
using PypiLocal.Core.IO;
using PypiLocal.Protocol.Filenames;
using PypiLocal.Protocol.Metadata;
using PypiLocal.Protocol.Requirements;
using PypiLocal.Protocol.Versions;

namespace PypiLocal.Core.Upstream;

/// <summary>Where a prefetch is: items done, items known so far (dependencies add more), the one at hand.</summary>
public sealed record PrefetchProgress(int Done, int Total, string Item);

/// <summary>What a prefetch did.</summary>
public sealed record PrefetchSummary(int Releases, int Fetched, int AlreadyCached, int Failed, IReadOnlyList<string> Problems);

/// <summary>
/// Warms the upstream cache for an air-gapped site (<c>pypilocal cache prefetch -r requirements.txt</c>): for each
/// requirement, the newest release it allows that the release policies serve, every file of it (all platforms) and
/// its <c>.metadata</c>; then, unless told not to, the same for its dependencies (read from the release's metadata,
/// extras followed as asked; environment markers are not evaluated, so dependencies of every platform are fetched).
/// </summary>
public sealed class UpstreamPrefetch(
    UpstreamProjects projects, UpstreamFiles files, UpstreamStore store, ReleasePolicy policy, DistributionInspector inspector, TimeProvider time)
{
    public async Task<PrefetchSummary> RunAsync(IReadOnlyList<Requirement> requirements, bool dependencies, Action<PrefetchProgress> progress, CancellationToken cancellationToken)
    {
        var queue = new Queue<Requirement>(requirements);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var problems = new List<string>();
        int releases = 0, fetched = 0, cached = 0, failed = 0, done = 0, total = requirements.Count;
        while (queue.TryDequeue(out var requirement))
        {
            if (!seen.Add($"{requirement.Project}[{string.Join(',', requirement.Extras.Order(StringComparer.Ordinal))}]{requirement.Specifier}"))
            {
                total--;
                continue;
            }

            progress(new PrefetchProgress(done, total, requirement.ToString()));
            var release = await ResolveAsync(requirement, problems, cancellationToken);
            if (release is not null)
            {
                releases++;
                foreach (var file in release.Value.Files)
                {
                    foreach (var part in file.CoreMetadataSha256 is null ? [DownloadPart.File] : new[] { DownloadPart.File, DownloadPart.CoreMetadata })
                    {
                        var (kept, fetch) = await files.GetAsync(release.Value.View.Index, requirement.Project, file, part, cancellationToken);
                        if (kept is not null)
                        {
                            cached++;
                        }
                        else if (await fetch!.Completion is { Kept: true })
                        {
                            fetched++;
                        }
                        else
                        {
                            failed++;
                            problems.Add((await fetch.Completion).Failure!);
                        }
                    }
                }

                if (dependencies)
                {
                    foreach (var dependency in await DependenciesAsync(requirement, release.Value.Files, cancellationToken))
                    {
                        queue.Enqueue(dependency);
                        total++;
                    }
                }
            }

            done++;
        }

        progress(new PrefetchProgress(done, total, ""));
        return new PrefetchSummary(releases, fetched, cached, failed, problems);
    }

    /// <summary>The newest release the requirement allows whose files the policies serve, with those files.</summary>
    private async Task<(UpstreamView View, IReadOnlyList<UpstreamFile> Files)?> ResolveAsync(Requirement requirement, List<string> problems, CancellationToken cancellationToken)
    {
        UpstreamView? view;
        try
        {
            view = await projects.GetAsync(requirement.Project, cancellationToken);
        }
        catch (UpstreamUnavailableException e)
        {
            problems.Add($"{requirement}: {e.Message}");
            return null;
        }

        if (view is null)
        {
            problems.Add($"{requirement}: no upstream index has {requirement.Project} (or its name may not come from upstream)");
            return null;
        }

        var now = time.GetUtcNow();
        var pinned = requirement.Specifier.Text.StartsWith("==", StringComparison.Ordinal) && !requirement.Specifier.Text.Contains(',', StringComparison.Ordinal);
        var candidates = view.Document.Files
            .Where(f => f.RemovedAt is null && policy.Evaluate(new FileFacts(requirement.Project, f.Filename, f.UploadTime, view.Index.Name), now).Allowed)
            .Where(f => PackageVersion.TryParse(f.Version, out var v) && requirement.Specifier.Contains(v))
            .GroupBy(f => PackageVersion.Parse(f.Version))
            .Where(g => pinned || g.Any(f => !f.Yanked))
            .ToList();
        var finals = candidates.Where(g => !g.Key.IsPrerelease || requirement.Specifier.IncludesPrereleases).ToList();
        var best = (finals.Count > 0 ? finals : candidates).MaxBy(g => g.Key);
        if (best is null)
        {
            problems.Add($"{requirement}: no release of {requirement.Project} matches that this index serves");
            return null;
        }

        return (view, best.ToList());
    }

    /// <summary>The release's dependencies from its core metadata (a kept .metadata, else read from a kept file).</summary>
    private async Task<IReadOnlyList<Requirement>> DependenciesAsync(Requirement requirement, IReadOnlyList<UpstreamFile> release, CancellationToken cancellationToken)
    {
        foreach (var file in release.OrderBy(f => f.Filename.EndsWith(".whl", StringComparison.OrdinalIgnoreCase) ? 0 : 1))
        {
            var metadata = await ReadMetadataAsync(requirement.Project, file, cancellationToken);
            if (metadata is not null)
            {
                return CoreMetadata.Parse(metadata).RequiresDist
                    .Select(text => Requirement.TryParse(text, out var dependency) ? dependency : null)
                    .OfType<Requirement>()
                    .Where(d => d.Url is null && d.AppliesWith(requirement.Extras))
                    .ToList();
            }
        }

        return [];
    }

    private async Task<byte[]?> ReadMetadataAsync(string project, UpstreamFile file, CancellationToken cancellationToken)
    {
        if (file.CoreMetadataSha256 is not null)
        {
            await using var kept = await store.OpenReadAsync(project, file.Filename, DownloadPart.CoreMetadata, cancellationToken);
            if (kept is not null)
            {
                return await BoundedRead.ReadAtMostAsync(kept, inspector.MaxMetadataBytes, cancellationToken);
            }
        }

        if (!DistributionFilename.TryParseForProject(file.Filename, project, out var name))
        {
            return null;
        }

        await using var stream = await store.OpenReadAsync(project, file.Filename, DownloadPart.File, cancellationToken);
        try
        {
            return stream is null ? null : await inspector.ReadCoreMetadataAsync(stream, name, cancellationToken);
        }
        catch (ArchiveException)
        {
            return null;
        }
    }
}
