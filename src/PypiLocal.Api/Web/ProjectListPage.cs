using System.Text;
using System.Text.Encodings.Web;
using PypiLocal.Core.Catalog;
using PypiLocal.Protocol.Names;

namespace PypiLocal.Api.Web;

/// <summary>The list of projects, filtered on the server so search works without JavaScript.</summary>
internal static class ProjectListPage
{
    /// <summary>
    /// Projects whose normalized name contains the normalized query (so "Foo_Bar" finds foo-bar), in list order.
    /// A blank query keeps them all.
    /// </summary>
    public static IReadOnlyList<ProjectSummary> Filter(IReadOnlyList<ProjectSummary> projects, string? query)
    {
        var needle = Normalize(query);
        return needle.Length == 0 ? projects : [.. projects.Where(p => p.Project.Contains(needle, StringComparison.Ordinal))];
    }

    public static string Render(IReadOnlyList<ProjectSummary> projects, string? query)
    {
        var e = HtmlEncoder.Default;
        var found = Filter(projects, query);
        var searching = Normalize(query).Length > 0;
        var html = new StringBuilder("<h1>Projects</h1>\n").Append(SearchForm(query));
        html.Append("<p class=\"muted\">");
        if (searching)
        {
            html.Append(found.Count).Append(" of ").Append(projects.Count).Append(" projects match <strong>").Append(e.Encode(query!.Trim())).Append("</strong>. <a href=\"/projects/\">Show all</a>");
        }
        else
        {
            html.Append(projects.Count).Append(projects.Count == 1 ? " project" : " projects");
        }

        html.Append("</p>\n");
        if (found.Count > 0)
        {
            html.Append(List(found));
        }
        else
        {
            html.Append(searching ? "<p>No project matches.</p>\n" : "<p>No projects yet.</p>\n");
        }

        return WebLayout.Page(searching ? $"Projects matching {query!.Trim()} · PypiLocal" : "Projects · PypiLocal", html.ToString());
    }

    /// <summary>A GET form to <c>/projects/</c>, keeping the current query in the box.</summary>
    public static string SearchForm(string? query) =>
        "<form method=\"get\" action=\"/projects/\" role=\"search\"><input type=\"search\" name=\"q\" aria-label=\"Search projects\" placeholder=\"Search projects\" value=\""
        + HtmlEncoder.Default.Encode(query ?? "") + "\"> <button type=\"submit\">Search</button></form>\n";

    public static string List(IEnumerable<ProjectSummary> projects)
    {
        var e = HtmlEncoder.Default;
        var html = new StringBuilder("<ul class=\"projects\">\n");
        foreach (var project in projects)
        {
            html.Append("<li><a href=\"").Append(e.Encode(WebLayout.ProjectUrl(project.Project))).Append("\">").Append(e.Encode(project.DisplayName)).Append("</a></li>\n");
        }

        return html.Append("</ul>\n").ToString();
    }

    // Runs of '-', '_' and '.' are one separator (PEP 503), so a query matches however the user spells it.
    private static string Normalize(string? query) => string.IsNullOrWhiteSpace(query) ? "" : ProjectName.Normalize(query.Trim());
}
