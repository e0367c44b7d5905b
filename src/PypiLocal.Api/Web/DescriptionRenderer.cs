using System.Text.Encodings.Web;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using PypiLocal.Api.Security;

namespace PypiLocal.Api.Web;

/// <summary>
/// A release's long description as HTML that is safe to embed: Markdown rendered with raw HTML off and only
/// http(s), mailto and relative links kept; anything else (reStructuredText, plain text) shown as escaped text.
/// Remote images load only from the operator's <see cref="ImageSources"/>; any other becomes a link to the image, so
/// reading a page tells no third party who read it.
/// </summary>
internal static class DescriptionRenderer
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseAutoLinks()
        .UseTaskLists()
        .DisableHtml()
        .Build();

    private static readonly string[] SafeSchemes = ["http", "https", "mailto"];

    /// <param name="contentType">Description-Content-Type, e.g. <c>text/markdown; charset=UTF-8; variant=GFM</c>; null means plain.</param>
    public static string ToHtml(string description, string? contentType, ImageSources images)
    {
        var mediaType = contentType?.Split(';', 2)[0].Trim();
        if (!string.Equals(mediaType, "text/markdown", StringComparison.OrdinalIgnoreCase))
        {
            // PyPI renders reStructuredText; we have no renderer, and escaped text reads fine.
            // Line by line: HtmlEncoder would turn each newline into &#xA;, which renders the same but reads badly.
            return $"<pre class=\"plain\">{string.Join('\n', description.Split('\n').Select(HtmlEncoder.Default.Encode))}</pre>\n";
        }

        var document = Markdown.Parse(description, Pipeline);
        foreach (var link in document.Descendants<LinkInline>())
        {
            if (!IsSafeUrl(link.Url))
            {
                link.Url = "#"; // javascript:, data: and the like would run or load in our origin.
            }

            if (link.IsImage && !images.Allows(link.Url))
            {
                link.IsImage = false;
                if (link.FirstChild is null)
                {
                    link.AppendChild(new LiteralInline("image"));
                }
            }
        }

        foreach (var autolink in document.Descendants<AutolinkInline>())
        {
            if (!autolink.IsEmail && !IsSafeUrl(autolink.Url))
            {
                autolink.Url = "#";
            }
        }

        return document.ToHtml(Pipeline);
    }

    private static bool IsSafeUrl(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return true;
        }

        var colon = url.IndexOf(':', StringComparison.Ordinal);
        var slash = url.IndexOfAny(['/', '?', '#']);
        var hasScheme = colon > 0 && (slash < 0 || colon < slash);
        return !hasScheme || SafeSchemes.Contains(url[..colon].Trim(), StringComparer.OrdinalIgnoreCase);
    }
}
