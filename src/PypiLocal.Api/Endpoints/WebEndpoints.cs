using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using PypiLocal.Api.Http;
using PypiLocal.Api.Publishing;
using PypiLocal.Api.Security;
using PypiLocal.Api.Web;
using PypiLocal.Core.Auth;
using PypiLocal.Core.Caching;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Pages;
using PypiLocal.Core.Projects;
using PypiLocal.Protocol.Metadata;
using PypiLocal.Protocol.Names;

namespace PypiLocal.Api.Endpoints;

/// <summary>The pages people read: every project with a search, and one page per project.</summary>
internal static class WebEndpoints
{
    public static IEndpointRouteBuilder MapWebEndpoints(this IEndpointRouteBuilder app)
    {
        // Routing treats a trailing slash as optional, so each handler checks it itself.
        app.MapMethods("/projects", PageResponses.ReadMethods, GetProjectsAsync).RequireIndexAccess(IndexAction.List);
        app.MapMethods("/projects/{project}", PageResponses.ReadMethods, GetProjectAsync).RequireIndexAccess(IndexAction.List);
        return app;
    }

    internal static async Task<Results<RedirectHttpResult, PageResult>> GetProjectsAsync(
        HttpContext context, IndexPageService pages, CancellationToken cancellationToken)
    {
        if (!PageResponses.HasTrailingSlash(context))
        {
            return PageResponses.MovedPermanently(context, "/projects/");
        }

        var query = context.Request.Query["q"].ToString();
        var readers = IndexAccess.ReadScopeOf(context);
        var page = await pages.GetProjectListPageAsync(
            PageKey.ForView(null, "projects?" + query),
            readers,
            WebLayout.ContentType,
            projects => Task.FromResult(Encoding.UTF8.GetBytes(ProjectListPage.Render(projects, query))),
            cancellationToken);
        return new PageResult(page!, readers);
    }

    internal static async Task<Results<RedirectHttpResult, ErrorResult, PageResult>> GetProjectAsync(
        string project, HttpContext context, IndexPageService pages, IPackageRepository repository, ProjectStatuses statuses, ImageSources images, CancellationToken cancellationToken)
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

        var baseUrl = WebLayout.BaseUrl(context.Request);
        var page = await pages.GetPageAsync(PageKey.ForView(normalized, "web " + baseUrl), WebLayout.ContentType, () => RenderProjectAsync(), cancellationToken);
        return page is null
            ? HttpOutcomes.NotFound($"No project named '{normalized}' on this index.") with { AsPage = true }
            : new PageResult(page);

        async Task<byte[]?> RenderProjectAsync()
        {
            if (await repository.GetProjectAsync(normalized, CancellationToken.None) is not { } listing)
            {
                return null;
            }

            var shown = statuses.Shown(listing);
            var metadata = await ReadLatestMetadataAsync(repository, shown, CancellationToken.None);
            var model = ProjectPageBuilder.Build(shown, statuses.For(normalized), metadata, images);
            return Encoding.UTF8.GetBytes(ProjectPageRenderer.Render(model, baseUrl));
        }
    }

    /// <summary>Only the latest release's metadata is read: one small object per page view.</summary>
    private static async Task<CoreMetadata?> ReadLatestMetadataAsync(IPackageRepository repository, ProjectListing listing, CancellationToken cancellationToken) =>
        ProjectPageBuilder.Latest(ProjectPageBuilder.Releases(listing)) is { } latest
            ? await ReleaseMetadata.ReadAsync(repository, listing.Project, latest.Files, cancellationToken)
            : null;
}
