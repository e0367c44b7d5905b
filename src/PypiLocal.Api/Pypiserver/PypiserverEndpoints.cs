using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using PypiLocal.Api.Endpoints;
using PypiLocal.Api.Http;
using PypiLocal.Api.Publishing;
using PypiLocal.Core.Auth;
using PypiLocal.Core.Caching;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Indexing;
using PypiLocal.Core.JsonApi;
using PypiLocal.Core.Pages;
using PypiLocal.Core.Projects;
using PypiLocal.Protocol.Names;

namespace PypiLocal.Api.Pypiserver;

/// <summary>
/// pypiserver's URLs beside ours, so that pip.conf files, requirements files and scripts written for it keep working:
/// the server root as an index URL (<c>/&lt;project&gt;/</c> leads to <c>/simple/&lt;project&gt;/</c>), <c>/&lt;project&gt;/json</c>,
/// the flat <c>/packages/</c> list, and the health check at <c>--health-endpoint</c>.
/// </summary>
internal static class PypiserverEndpoints
{
    public static WebApplication MapPypiserverEndpoints(this WebApplication app)
    {
        app.MapMethods("/packages", PageResponses.ReadMethods, GetPackagesAsync).RequireIndexAccess(IndexAction.List);
        app.MapMethods("/{project}/json", PageResponses.ReadMethods, GetJsonAsync).RequireIndexAccess(IndexAction.List);

        // Literal routes (/simple, /projects, /health, …) take precedence; every other single segment is a project,
        // as pypiserver's catch-all: pip given the root as its index asks for /<project>/.
        app.MapMethods("/{project}", PageResponses.ReadMethods, RedirectToSimple);
        app.MapMethods("/favicon.ico", PageResponses.ReadMethods, () => TypedResults.NotFound());

        var health = app.Services.GetRequiredService<IOptions<PypiserverOptions>>().Value.HealthEndpoint;
        if (!string.Equals(health.TrimEnd('/'), "/health", StringComparison.Ordinal))
        {
            app.MapHealthChecks(health, new HealthCheckOptions { ResultStatusCodes = Microsoft.Extensions.Hosting.Extensions.HealthStatusCodes() });
        }

        return app;
    }

    /// <summary>pypiserver's answer to any other root path: a redirect to the project's simple page, which pip follows.</summary>
    internal static Results<RedirectHttpResult, ErrorResult> RedirectToSimple(string project, HttpContext context) =>
        ProjectName.IsValid(project)
            ? TypedResults.Redirect($"{context.Request.PathBase}/simple/{ProjectName.Normalize(project)}/")
            : HttpOutcomes.NotFound($"'{project}' is not a valid project name.");

    /// <summary>pypiserver's <c>/&lt;project&gt;/json</c>: the PyPI JSON API document, which holds its <c>info.version</c> and <c>releases</c>.</summary>
    internal static async Task<Results<RedirectHttpResult, ErrorResult, PageResult>> GetJsonAsync(
        string project, HttpContext context, JsonApiService json, IndexPageService pages, CancellationToken cancellationToken) =>
        ProjectName.IsValid(project) && ProjectName.Normalize(project) != project
            ? PageResponses.MovedPermanently(context, $"/{ProjectName.Normalize(project)}/json")
            : await JsonApiEndpoints.GetAsync(project, null, context, json, pages, cancellationToken);

    /// <summary>
    /// pypiserver's "Index of packages": every file, linked with its hash, usable as a pip <c>--find-links</c> page.
    /// Cached like the root page (any change invalidates it), since it reads every project's listing; only the files of
    /// projects the reader may read.
    /// </summary>
    internal static async Task<Results<RedirectHttpResult, PageResult>> GetPackagesAsync(
        HttpContext context, IPackageRepository repository, ProjectStatuses statuses, IndexPageService pages, IOptions<IndexOptions> index, CancellationToken cancellationToken)
    {
        if (!PageResponses.HasTrailingSlash(context))
        {
            return PageResponses.MovedPermanently(context, "/packages/");
        }

        var readers = IndexAccess.ReadScopeOf(context);
        var page = await pages.GetProjectListPageAsync(
            PageKey.ForView(null, "packages"),
            readers,
            "text/html; charset=utf-8",
            async projects => System.Text.Encoding.UTF8.GetBytes(await RenderPackagesAsync(projects, repository, statuses, PageLinks.From(index.Value))),
            cancellationToken);
        return new PageResult(page!, readers);
    }

    private static async Task<string> RenderPackagesAsync(IReadOnlyList<ProjectSummary> projects, IPackageRepository repository, ProjectStatuses statuses, PageLinks links)
    {
        var html = new System.Text.StringBuilder()
            .Append("<!DOCTYPE html>\n<html lang=\"en\">\n  <head>\n    <meta charset=\"utf-8\">\n    <title>Index of packages</title>\n  </head>\n  <body>\n    <h1>Index of packages</h1>\n");
        foreach (var project in projects)
        {
            if (await repository.GetProjectAsync(project.Project, CancellationToken.None) is not { } listing)
            {
                continue;
            }

            foreach (var file in SimplePageRenderer.ToPage(SimplePageRenderer.ViewOf(statuses.Shown(listing), statuses.For(project.Project), links)).Files)
            {
                html.Append("    <a href=\"").Append(HtmlText(file.Url + file.LinkFragment)).Append("\">")
                    .Append(HtmlText(file.Filename)).Append("</a><br>\n");
            }
        }

        html.Append("  </body>\n</html>\n");
        return html.ToString();
    }

    private static string HtmlText(string text) => System.Net.WebUtility.HtmlEncode(text);
}
