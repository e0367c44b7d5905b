using System.Text;

namespace PypiLocal.Protocol.Simple;

/// <summary>PEP 503 HTML (repository version 1.x, frozen by PEP 833), as UTF-8 bytes.</summary>
public static class SimpleHtmlWriter
{
    /// <summary>The root page's version; a project page says what it needs (<see cref="SimpleProjectPage.ApiVersion"/>, 1.4 at most: PEP 833 froze HTML there).</summary>
    public const string RepositoryVersion = "1.1";

    /// <param name="list">The projects.</param>
    /// <param name="basePath">The path prefix the index is served under ("" or "/prefix"), for the absolute project links.</param>
    public static byte[] WriteProjectList(SimpleProjectList list, string basePath = "")
    {
        var html = Begin("Simple index");
        foreach (var project in list.Projects)
        {
            // PyPI's root: absolute project paths, display names as text.
            html.Append("    <a href=\"").AppendEscaped(basePath).Append("/simple/").AppendEscaped(project.NormalizedName).Append("/\">")
                .AppendEscaped(project.Name).Append("</a>\n");
        }

        return End(html);
    }

    public static byte[] WriteProjectPage(SimpleProjectPage page)
    {
        var html = Begin($"Links for {page.Name}", page.Status, page.ApiVersion);
        html.Append("    <h1>Links for ").AppendEscaped(page.Name).Append("</h1>\n");
        foreach (var file in page.Files)
        {
            html.Append("    <a href=\"").AppendEscaped(file.Url + file.LinkFragment).Append('"');
            if (file.RequiresPython is not null)
            {
                AppendAttribute(html, "data-requires-python", file.RequiresPython);
            }

            if (file.CoreMetadataSha256 is not null)
            {
                // The legacy name too, equal to the new one: pip 22.3–23.1 read only it (PEP 714).
                AppendAttribute(html, "data-dist-info-metadata", $"sha256={file.CoreMetadataSha256}");
                AppendAttribute(html, "data-core-metadata", $"sha256={file.CoreMetadataSha256}");
            }

            if (file.Yanked)
            {
                AppendAttribute(html, "data-yanked", file.YankedReason ?? "");
            }

            if (file.ProvenanceUrl is not null)
            {
                AppendAttribute(html, "data-provenance", file.ProvenanceUrl);
            }

            html.Append('>').AppendEscaped(file.Filename).Append("</a><br />\n");
        }

        return End(html);
    }

    private static void AppendAttribute(StringBuilder html, string name, string value) =>
        html.Append(' ').Append(name).Append("=\"").AppendEscaped(value).Append('"');

    private static StringBuilder Begin(string title, ProjectStatus? status = null, string version = RepositoryVersion)
    {
        var html = new StringBuilder()
            .Append("<!DOCTYPE html>\n<html>\n  <head>\n")
            .Append("    <meta name=\"pypi:repository-version\" content=\"").Append(version).Append("\">\n");
        if (status is not null)
        {
            html.Append("    <meta name=\"pypi:project-status\" content=\"").AppendEscaped(status.Status).Append("\">\n");
            if (status.Reason is not null)
            {
                html.Append("    <meta name=\"pypi:project-status-reason\" content=\"").AppendEscaped(status.Reason).Append("\">\n");
            }
        }

        return html
            .Append("    <title>").AppendEscaped(title).Append("</title>\n")
            .Append("  </head>\n  <body>\n");
    }

    private static byte[] End(StringBuilder html) => Encoding.UTF8.GetBytes(html.Append("  </body>\n</html>\n").ToString());
}
