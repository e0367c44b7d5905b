using System.Text;
using System.Text.Encodings.Web;
using PypiLocal.Api.Http;
using PypiLocal.Api.Publishing;
using PypiLocal.Api.Web;
using PypiLocal.Core.Auth;
using PypiLocal.Core.Caching;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Pages;

namespace PypiLocal.Api.Endpoints;

/// <summary>The home page: how to install from and publish to this index, and what it holds.</summary>
internal static class HomeEndpoints
{
    public static IEndpointRouteBuilder MapHomeEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/", [HttpMethods.Get, HttpMethods.Head], GetAsync).RequireIndexAccess(IndexAction.List);
        return app;
    }

    /// <summary>
    /// The welcome file when configured (<c>--welcome</c>), else our page; either cached per address the index was reached
    /// at (the page shows it) and invalidated by any change, and showing only the projects the reader may read.
    /// </summary>
    internal static async Task<PageResult> GetAsync(
        HttpContext context, IndexPageService pages, IPackageRepository repository, Pypiserver.WelcomePage welcome, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var baseUrl = WebLayout.BaseUrl(request);
        var readers = IndexAccess.ReadScopeOf(context);
        var page = await pages.GetProjectListPageAsync(
            PageKey.ForView(null, "home " + baseUrl),
            readers,
            WebLayout.ContentType,
            async projects => Encoding.UTF8.GetBytes(welcome.IsConfigured
                ? await welcome.RenderAsync(request, projects, repository)
                : Render(baseUrl, request.Host.Host, projects)),
            cancellationToken);
        return new PageResult(page!, readers);
    }

    /// <summary>How many projects the home page lists before pointing to the full list.</summary>
    internal const int ShortListLength = 20;

    internal static string Render(string baseUrl, string host, IReadOnlyList<ProjectSummary> projects)
    {
        var e = HtmlEncoder.Default;
        var simple = $"{baseUrl}/simple/";
        var html = new StringBuilder()
            .Append("<h1>PypiLocal</h1>\n")
            .Append("<p>A private Python package index. It serves <a href=\"/projects/\">").Append(projects.Count).Append(projects.Count == 1 ? " project" : " projects").Append("</a>.</p>\n")
            .Append("<h2>Install from this index</h2>\n<pre>pip install --index-url ").Append(e.Encode(simple)).Append(" PACKAGE</pre>\n")
            .Append("<p>Served over plain HTTP, pip also needs <code>--trusted-host ").Append(e.Encode(host)).Append("</code> when the host is not localhost.</p>\n")
            .Append("<p>To use it always, put this in <code>pip.conf</code> (<code>~/.config/pip/pip.conf</code>, or <code>%APPDATA%\\pip\\pip.ini</code> on Windows):</p>\n")
            .Append("<pre>[global]\nindex-url = ").Append(e.Encode(simple)).Append("\ntrusted-host = ").Append(e.Encode(host)).Append("</pre>\n")
            .Append("<p>Or keep PyPI and add this index: <code>extra-index-url = ").Append(e.Encode(simple)).Append("</code>.</p>\n")
            .Append("<h2>Publish to this index</h2>\n<pre>twine upload --repository-url ").Append(e.Encode(baseUrl)).Append("/ dist/*</pre>\n")
            .Append("<h2>Projects</h2>\n")
            .Append(ProjectListPage.SearchForm(null));
        if (projects.Count == 0)
        {
            html.Append("<p>No projects yet.</p>\n");
        }
        else
        {
            html.Append(ProjectListPage.List(projects.Take(ShortListLength)));
            if (projects.Count > ShortListLength)
            {
                html.Append("<p><a href=\"/projects/\">All ").Append(projects.Count).Append(" projects</a></p>\n");
            }
        }

        return WebLayout.Page("PypiLocal", html.ToString());
    }
}
