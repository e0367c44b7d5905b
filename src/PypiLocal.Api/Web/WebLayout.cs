using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;

namespace PypiLocal.Api.Web;

/// <summary>The one layout every human-facing page shares: head, style sheet and navigation.</summary>
internal static class WebLayout
{
    public const string ContentType = "text/html; charset=utf-8";

    // Small and inline: no static files to serve, cache or keep in step across nodes.
    private const string Css =
        "body{font-family:system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:0 1rem 2rem;line-height:1.5;color:#1b1b1b}"
        + "header{display:flex;gap:1.5rem;align-items:baseline;border-bottom:1px solid #ddd;padding:.75rem 0;margin-bottom:1rem}"
        + "header a{color:inherit;text-decoration:none}header .brand{font-weight:700;font-size:1.2rem}"
        + "a{color:#0b5cad}pre{background:#f4f4f4;padding:.75rem;overflow-x:auto}code{font-size:.9em}"
        + "table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #eee;vertical-align:top}"
        + ".hash{font-family:monospace;font-size:.75rem;word-break:break-all}.muted{color:#666}.nowrap{white-space:nowrap}h2.files{border-top:1px solid #ddd;padding-top:1rem}"
        + ".status{padding:.5rem .75rem;border-left:4px solid #c77700;background:#fff6e5}.yanked{color:#a00}"
        + "input[type=search]{padding:.35rem;width:20rem;max-width:70%}";

    /// <summary>The style sheet's hash, the only style the Content-Security-Policy lets a page apply.</summary>
    public static readonly string StyleHash = "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Css)));

    /// <summary>A whole page around <paramref name="bodyHtml"/>, which the caller has already encoded.</summary>
    public static string Page(string title, string bodyHtml)
    {
        var e = HtmlEncoder.Default;
        return new StringBuilder()
            .Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(e.Encode(title)).Append("</title>\n<style>").Append(Css).Append("</style>\n</head>\n<body>\n")
            .Append("<header><a class=\"brand\" href=\"/\">PypiLocal</a><a href=\"/projects/\">Projects</a></header>\n")
            .Append("<main>\n").Append(bodyHtml).Append("</main>\n</body>\n</html>\n")
            .ToString();
    }

    /// <summary>The address clients reach this index at, for the commands the pages show.</summary>
    public static string BaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}";

    public static string ProjectUrl(string project) => $"/projects/{Uri.EscapeDataString(project)}/";
}
