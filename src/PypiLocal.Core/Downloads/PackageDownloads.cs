using PypiLocal.Core.Catalog;
using PypiLocal.Core.Projects;
using PypiLocal.Core.Upstream;
using PypiLocal.Protocol.Names;

namespace PypiLocal.Core.Downloads;

/// <summary>
/// Answers <c>/packages/{project}/{filename}</c> (and <c>.metadata</c>) the way the pages list them: a local file
/// first; a file of a project this index does not have (or merges by name) from the upstream cache, fetched on first
/// request; a file a release policy holds back refused with the policy's reason, as the page hides it.
/// </summary>
public sealed class PackageDownloads(
    IPackageRepository repository,
    ProjectStatuses statuses,
    UpstreamProjects upstream,
    UpstreamFiles files,
    ReleasePolicy policy,
    TimeProvider time)
{
    // A kept upstream page confirmed this recently is trusted for a download without asking storage again: the bytes
    // are looked up anyway, so a purge elsewhere only means they are fetched again.
    private static readonly TimeSpan TrustKeptPageFor = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The answer for a download. A value task: a file or <c>.metadata</c> held in memory, which the server answers before
    /// its hosting layer (pip asks for one per candidate it weighs), is found without allocating a task.
    /// </summary>
    public async ValueTask<DownloadAnswer> GetAsync(string project, string filename, DownloadPart part, CancellationToken cancellationToken)
    {
        if (!ProjectName.IsValid(project))
        {
            return Missing(project, filename, part);
        }

        // A quarantined project (PEP 792) serves no files.
        var normalized = ProjectName.Normalize(project);
        if (!statuses.ServesFiles(normalized))
        {
            return Missing(project, filename, part);
        }

        if (await repository.GetDownloadAsync(normalized, filename, part, cancellationToken) is { } local)
        {
            return await LocalRefusalAsync(normalized, filename, cancellationToken) is { } refused ? refused : new ServeDownload(local);
        }

        // A local project's name is never taken over from upstream, unless the operator merges it by name.
        if (!upstream.MayFetch(normalized)
            || (!policy.Merges(normalized) && await repository.GetProjectAsync(normalized, cancellationToken) is not null))
        {
            return Missing(project, filename, part);
        }

        UpstreamView? remote;
        try
        {
            remote = await upstream.GetAsync(normalized, cancellationToken, TrustKeptPageFor);
        }
        catch (UpstreamUnavailableException e)
        {
            return new FailedDownload(e.Message);
        }

        if (remote?.Document.Find(filename) is not { } file || remote.Document.Status?.HidesFiles == true
            || (part == DownloadPart.CoreMetadata && file.CoreMetadataSha256 is null))
        {
            return Missing(project, filename, part);
        }

        var verdict = policy.Evaluate(new FileFacts(normalized, filename, file.UploadTime, remote.Index.Name), time.GetUtcNow());
        if (!verdict.Allowed)
        {
            return new RefusedDownload(verdict.Reason!);
        }

        var (cached, fetch) = await files.GetAsync(remote.Index, normalized, file, part, cancellationToken);
        return cached is not null ? new ServeDownload(cached) : new FetchDownload(fetch!);
    }

    private static MissingDownload Missing(string project, string filename, DownloadPart part) =>
        new($"No file named '{filename}'{(part == DownloadPart.CoreMetadata ? " with core metadata" : "")} in project '{project}'.");

    /// <summary>With policies applied to local projects too, a local file they hold back is refused as well.</summary>
    private async Task<RefusedDownload?> LocalRefusalAsync(string project, string filename, CancellationToken cancellationToken)
    {
        if (!policy.AppliesToLocal)
        {
            return null;
        }

        var listing = await repository.GetProjectAsync(project, cancellationToken);
        var uploaded = listing?.Files.FirstOrDefault(f => f.Filename == filename)?.UploadTime;
        var verdict = policy.Evaluate(new FileFacts(project, filename, uploaded, null), time.GetUtcNow());
        return verdict.Allowed ? null : new RefusedDownload(verdict.Reason!);
    }
}
