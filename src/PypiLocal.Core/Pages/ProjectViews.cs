using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Indexing;
using PypiLocal.Core.Projects;
using PypiLocal.Core.Upstream;
using PypiLocal.Protocol.Simple;
using PypiLocal.Protocol.Versions;

namespace PypiLocal.Core.Pages;

/// <summary>
/// What a project page shows now. Local first: a project this index has is served from its own files only, never
/// merged with an upstream's unless the operator names it (<c>Upstream:Projects:&lt;name&gt;:Merge</c>); a project it
/// does not have comes from the upstreams, its file URLs rewritten to this index's. Release policies are applied
/// here, when the page is served, and the answer says until when it holds.
/// </summary>
public sealed class ProjectViews(
    IPackageRepository repository,
    ProjectStatuses statuses,
    UpstreamProjects upstream,
    UpstreamStore store,
    ReleasePolicy policy,
    TimeProvider time,
    ILogger<ProjectViews> logger,
    IOptions<IndexOptions>? index = null)
{
    private readonly PageLinks _links = index is null ? PageLinks.Default : PageLinks.From(index.Value);

    /// <summary>The project's view with policies applied, or null when neither this index nor an upstream has it.</summary>
    public async Task<ServedView?> GetAsync(string project, CancellationToken cancellationToken)
    {
        var listing = await repository.GetProjectAsync(project, cancellationToken);
        UpstreamView? remote = null;
        if (listing is null)
        {
            remote = await upstream.GetAsync(project, cancellationToken);
            if (remote is null)
            {
                return null;
            }
        }
        else if (policy.Merges(project))
        {
            try
            {
                remote = await upstream.GetAsync(project, cancellationToken);
            }
            catch (UpstreamUnavailableException e)
            {
                logger.LogWarning("Serving only the local files of {Project}: {Reason}", project, e.Message);
            }
        }

        var files = listing is null ? [] : SimplePageRenderer.ViewOf(listing, links: _links).Files.ToList();
        if (remote is not null)
        {
            var local = files.Select(f => f.Entry.Filename).ToHashSet(StringComparer.Ordinal);
            foreach (var file in remote.Document.Files.Where(f => !local.Contains(f.Filename)))
            {
                // A file gone upstream is listed only while its bytes are cached.
                if (file.RemovedAt is null || await store.StatAsync(project, file.Filename, DownloadPart.File, cancellationToken) is not null)
                {
                    files.Add(ViewOf(project, file, remote.Document.Index, _links.BasePath));
                }
            }
        }

        var status = statuses.For(project) ?? remote?.Document.Status;
        return Apply(statuses.Shown(new ProjectView(project, files, remote?.Document.Versions ?? [], status)), remote?.FreshUntil, time.GetUtcNow());
    }

    /// <summary>
    /// The view with the policies applied at <paramref name="now"/>: hidden files leave, and so do versions left
    /// without files; valid until the upstream page is due or a hidden file's time comes, whichever is first.
    /// </summary>
    public ServedView Apply(ProjectView view, DateTimeOffset? freshUntil, DateTimeOffset now)
    {
        var shown = new List<ViewFile>();
        var hidden = new List<ViewFile>();
        var validUntil = freshUntil;
        foreach (var file in view.Files)
        {
            var verdict = policy.Evaluate(new FileFacts(view.Project, file.Entry.Filename, file.Entry.UploadTime, file.Index), now);
            if (verdict.Allowed)
            {
                shown.Add(file);
                continue;
            }

            hidden.Add(file);
            if (verdict.AllowedFrom is { } from && (validUntil is null || from < validUntil))
            {
                validUntil = from;
            }
        }

        if (hidden.Count == 0)
        {
            return new ServedView(view, validUntil);
        }

        var stillShown = shown.Select(f => Parse(f.Version)).OfType<PackageVersion>().ToHashSet();
        var emptied = hidden.Select(f => Parse(f.Version)).OfType<PackageVersion>().Where(v => !stillShown.Contains(v)).ToHashSet();
        var versions = view.Versions.Where(v => Parse(v) is not { } parsed || !emptied.Contains(parsed)).ToList();
        return new ServedView(view with { Files = shown, Versions = versions }, validUntil);
    }

    /// <summary>An upstream file as this index lists it: every upstream fact, and a URL on this index.</summary>
    public static ViewFile ViewOf(string project, UpstreamFile file, string index, string basePath = "") => new(
        new SimpleFile(
            file.Filename,
            SimplePageRenderer.FileUrl(project, file.Filename, basePath),
            file.Sha256,
            file.RequiresPython,
            file.CoreMetadataSha256,
            file.Yanked,
            file.YankedReason,
            file.Size,
            file.UploadTime),
        file.Version,
        index);

    private static PackageVersion? Parse(string version) => PackageVersion.TryParse(version, out var parsed) ? parsed : null;
}
