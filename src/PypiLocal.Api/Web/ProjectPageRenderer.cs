using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Pages;
using PypiLocal.Protocol.Simple;

namespace PypiLocal.Api.Web;

/// <summary>Renders a <see cref="ProjectPageModel"/> into the shared layout; every value from the index is encoded.</summary>
internal static class ProjectPageRenderer
{
    public static string Render(ProjectPageModel model, string baseUrl)
    {
        var e = HtmlEncoder.Default;
        var html = new StringBuilder();
        html.Append("<h1>").Append(e.Encode(model.DisplayName));
        if (model.LatestVersion is not null)
        {
            html.Append(" <span class=\"muted\">").Append(e.Encode(model.LatestVersion)).Append("</span>");
        }

        html.Append("</h1>\n");
        if (model.Summary is not null)
        {
            html.Append("<p class=\"summary\">").Append(e.Encode(model.Summary)).Append("</p>\n");
        }

        AppendStatus(html, model.Status);
        if (model.Releases.Count == 0)
        {
            return WebLayout.Page($"{model.DisplayName} · PypiLocal", html.ToString());
        }

        html.Append("<pre class=\"install\">pip install --index-url ").Append(e.Encode($"{baseUrl}/simple/")).Append(' ').Append(e.Encode(model.Project)).Append("</pre>\n");
        if (model.RequiresPython is not null)
        {
            html.Append("<p>Requires Python <code>").Append(e.Encode(model.RequiresPython)).Append("</code></p>\n");
        }

        if (model.RequiresDist.Count > 0)
        {
            html.Append("<h2>Dependencies</h2>\n<ul class=\"requires\">\n");
            foreach (var requirement in model.RequiresDist)
            {
                html.Append("<li><code>").Append(e.Encode(requirement)).Append("</code></li>\n");
            }

            html.Append("</ul>\n");
        }

        html.Append("<section class=\"description\">\n")
            .Append(model.DescriptionHtml ?? "<p class=\"muted\">No description.</p>\n")
            .Append("</section>\n");
        AppendFiles(html, model.Releases);
        return WebLayout.Page($"{model.DisplayName} · PypiLocal", html.ToString());
    }

    private static void AppendStatus(StringBuilder html, ProjectStatus? status)
    {
        if (status is null || status.Status == ProjectStatus.Active)
        {
            return;
        }

        var e = HtmlEncoder.Default;
        var meaning = status.Status switch
        {
            ProjectStatus.Quarantined => "Its files are not served.",
            ProjectStatus.Archived => "It takes no new uploads.",
            ProjectStatus.Deprecated => "Its maintainers advise against using it.",
            _ => "",
        };
        html.Append("<p class=\"status\">This project is <strong>").Append(e.Encode(status.Status)).Append("</strong>. ").Append(meaning);
        if (!string.IsNullOrWhiteSpace(status.Reason))
        {
            html.Append(" Reason: ").Append(e.Encode(status.Reason));
        }

        html.Append("</p>\n");
    }

    private static void AppendFiles(StringBuilder html, IReadOnlyList<ReleaseFiles> releases)
    {
        var e = HtmlEncoder.Default;
        html.Append("<h2 class=\"files\">Files</h2>\n<table class=\"files\">\n<thead><tr><th>Version</th><th>File</th><th>Size</th><th>Uploaded</th><th>By</th><th>SHA-256</th></tr></thead>\n<tbody>\n");
        foreach (var release in releases)
        {
            foreach (var file in release.Files)
            {
                html.Append("<tr><td>").Append(e.Encode(release.Version)).Append("</td><td><a href=\"")
                    .Append(e.Encode(SimplePageRenderer.FileUrl(file.Project, file.Filename))).Append("\">").Append(e.Encode(file.Filename)).Append("</a>");
                if (file.Yanked)
                {
                    html.Append(" <span class=\"yanked\">yanked");
                    if (!string.IsNullOrWhiteSpace(file.YankedReason))
                    {
                        html.Append(": ").Append(e.Encode(file.YankedReason));
                    }

                    html.Append("</span>");
                }

                html.Append("</td><td class=\"nowrap\">").Append(FormatSize(file.Size))
                    .Append("</td><td class=\"nowrap\">").Append(e.Encode(file.UploadTime.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)))

                    // Files dropped into the folder or bucket by other tools have no known uploader.
                    .Append("</td><td class=\"uploader\">").Append(e.Encode(file.Uploader ?? "—"))
                    .Append("</td><td class=\"hash\">").Append(e.Encode(file.Digests.Sha256)).Append("</td></tr>\n");
            }
        }

        html.Append("</tbody>\n</table>\n");
    }

    internal static string FormatSize(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.0 'kB'", CultureInfo.InvariantCulture),
        _ => (bytes / (1024.0 * 1024)).ToString("0.0 'MB'", CultureInfo.InvariantCulture),
    };
}
