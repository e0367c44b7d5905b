using Microsoft.AspNetCore.Http.HttpResults;
using PypiLocal.Api.Http;
using PypiLocal.Api.Web;
using PypiLocal.Core.Auth;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Projects;
using PypiLocal.Protocol.Metadata;
using PypiLocal.Protocol.Names;

namespace PypiLocal.Api.Endpoints;

/// <summary>The pages people read: every project with a search, and one page per project.</summary>
internal static class WebEndpoints
{
    private static readonly string[] ReadMethods = [HttpMethods.Get, HttpMethods.Head];

    public static IEndpointRouteBuilder MapWebEndpoints(this IEndpointRouteBuilder app)
    {
        // Routing treats a trailing slash as optional, so each handler checks it itself.
        app.MapMethods("/projects", ReadMethods, GetProjectsAsync).RequireIndexAccess(IndexAction.List);
        app.MapMethods("/projects/{project}", ReadMethods, GetProjectAsync).RequireIndexAccess(IndexAction.List);
        return app;
    }

    internal static async Task<Results<RedirectHttpResult, ContentHttpResult>> GetProjectsAsync(HttpContext context, IPackageRepository repository, CancellationToken cancellationToken)
    {
        if (!PageResponses.HasTrailingSlash(context))
        {
            return PageResponses.MovedPermanently(context, "/projects/");
        }

        var projects = await repository.ListProjectsAsync(cancellationToken);
        return TypedResults.Content(ProjectListPage.Render(projects, context.Request.Query["q"].ToString()), WebLayout.ContentType);
    }

    internal static async Task<Results<RedirectHttpResult, ErrorResult, ContentHttpResult>> GetProjectAsync(
        string project, HttpContext context, IPackageRepository repository, ProjectStatuses statuses, CancellationToken cancellationToken)
    {
        if (!ProjectName.IsValid(project))
        {
            return HttpOutcomes.NotFound($"'{project}' is not a valid project name.") with { AsPage = true };
        }

        var normalized = ProjectName.Normalize(project);
        if (normalized != project || !PageResponses.HasTrailingSlash(context))
        {
            return PageResponses.MovedPermanently(context, WebLayout.ProjectUrl(normalized));
        }

        if (await repository.GetProjectAsync(normalized, cancellationToken) is not { } listing)
        {
            return HttpOutcomes.NotFound($"No project named '{normalized}' on this index.") with { AsPage = true };
        }

        var shown = statuses.Shown(listing);
        var metadata = await ReadLatestMetadataAsync(repository, shown, cancellationToken);
        var model = ProjectPageBuilder.Build(shown, statuses.For(normalized), metadata);
        return TypedResults.Content(ProjectPageRenderer.Render(model, WebLayout.BaseUrl(context.Request)), WebLayout.ContentType);
    }

    /// <summary>Only the latest release's metadata is read: one small object per page view.</summary>
    private static async Task<CoreMetadata?> ReadLatestMetadataAsync(IPackageRepository repository, ProjectListing listing, CancellationToken cancellationToken) =>
        ProjectPageBuilder.Latest(ProjectPageBuilder.Releases(listing)) is { } latest
            ? await ReleaseMetadata.ReadAsync(repository, listing.Project, latest.Files, cancellationToken)
            : null;
}
