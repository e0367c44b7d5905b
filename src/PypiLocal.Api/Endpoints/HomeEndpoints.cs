using PypiLocal.Core.Auth;
using System.Text;
using System.Text.Encodings.Web;
using PypiLocal.Core.Catalog;

namespace PypiLocal.Api.Endpoints;

/// <summary>The home page: how to install from and publish to this index, and what it holds.</summary>
internal static class HomeEndpoints
{
    public static IEndpointRouteBuilder MapHomeEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/", [HttpMethods.Get, HttpMethods.Head], GetAsync).RequireIndexAccess(IndexAction.List);
        return app;
    }

    internal static async Task<IResult> GetAsync(HttpContext context, IPackageRepository repository, CancellationToken cancellationToken)
    {
        var projects = await repository.ListProjectsAsync(cancellationToken);
        var request = context.Request;
        var baseUrl = $"{request.Scheme}://{request.Host}{request.PathBase}";
        return Results.Content(Render(baseUrl, request.Host.Host, projects), "text/html; charset=utf-8");
    }

    internal static string Render(string baseUrl, string host, IReadOnlyList<ProjectSummary> projects)
    {
        var e = HtmlEncoder.Default;
        var simple = $"{baseUrl}/simple/";
        var html = new StringBuilder()
            .Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>PypiLocal</title>\n<style>body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;line-height:1.5}pre{background:#f4f4f4;padding:.75rem;overflow-x:auto}</style>\n")
            .Append("</head>\n<body>\n<h1>PypiLocal</h1>\n")
            .Append("<p>A private Python package index. It serves ").Append(projects.Count).Append(projects.Count == 1 ? " project" : " projects").Append(".</p>\n")
            .Append("<h2>Install from this index</h2>\n<pre>pip install --index-url ").Append(e.Encode(simple)).Append(" PACKAGE</pre>\n")
            .Append("<p>Served over plain HTTP, pip also needs <code>--trusted-host ").Append(e.Encode(host)).Append("</code> when the host is not localhost.</p>\n")
            .Append("<p>To use it always, put this in <code>pip.conf</code> (<code>~/.config/pip/pip.conf</code>, or <code>%APPDATA%\\pip\\pip.ini</code> on Windows):</p>\n")
            .Append("<pre>[global]\nindex-url = ").Append(e.Encode(simple)).Append("\ntrusted-host = ").Append(e.Encode(host)).Append("</pre>\n")
            .Append("<p>Or keep PyPI and add this index: <code>extra-index-url = ").Append(e.Encode(simple)).Append("</code>.</p>\n")
            .Append("<h2>Publish to this index</h2>\n<pre>twine upload --repository-url ").Append(e.Encode(baseUrl)).Append("/ dist/*</pre>\n")
            .Append("<h2>Projects</h2>\n");
        if (projects.Count == 0)
        {
            html.Append("<p>No projects yet.</p>\n");
        }
        else
        {
            html.Append("<ul>\n");
            foreach (var project in projects)
            {
                html.Append("<li><a href=\"/simple/").Append(e.Encode(project.Project)).Append("/\">").Append(e.Encode(project.DisplayName)).Append("</a></li>\n");
            }

            html.Append("</ul>\n");
        }

        return html.Append("</body>\n</html>\n").ToString();
    }
}
