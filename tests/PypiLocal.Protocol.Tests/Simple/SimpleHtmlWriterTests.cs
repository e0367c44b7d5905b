using System.Text;
using System.Text.RegularExpressions;
using PypiLocal.Protocol.Simple;

namespace PypiLocal.Protocol.Tests.Simple;

public sealed partial class SimpleHtmlWriterTests
{
    private static string Html(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    public sealed class WriteProjectList
    {
        [Fact]
        public void Matches_the_golden_file() =>
            Golden.AssertMatches("project-list.html", SimpleHtmlWriter.WriteProjectList(SampleIndex.ProjectList));

        [Fact]
        public void Links_every_project_by_absolute_normalized_path_with_its_display_name()
        {
            var html = Html(SimpleHtmlWriter.WriteProjectList(SampleIndex.ProjectList));
            Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
            Assert.Contains("<meta name=\"pypi:repository-version\" content=\"1.1\">", html, StringComparison.Ordinal);
            Assert.Equal(
                [("/simple/foo-bar/", "Foo_Bar"), ("/simple/zope-interface/", "zope.interface"), ("/simple/pkg/", "pkg")],
                Anchors(html).Select(a => (a.Href, a.Text)));
        }
    }

    public sealed class WriteProjectPage
    {
        [Fact]
        public void Matches_the_golden_file() =>
            Golden.AssertMatches("project-page.html", SimpleHtmlWriter.WriteProjectPage(SampleIndex.ProjectPage));

        [Fact]
        public void Matches_the_golden_file_when_empty() =>
            Golden.AssertMatches("project-page-empty.html", SimpleHtmlWriter.WriteProjectPage(SampleIndex.EmptyPage));

        [Fact]
        public void A_file_with_provenance_carries_data_provenance_and_the_page_says_version_1_3()
        {
            const string link = "https://index.example/integrity/foo-bar/2.0/foo_bar-2.0.tar.gz/provenance";
            var files = SampleIndex.ProjectPage.Files;
            var page = SampleIndex.ProjectPage with { Files = [.. files.Take(2), files[2] with { ProvenanceUrl = link }] };

            var html = Html(SimpleHtmlWriter.WriteProjectPage(page));

            Assert.Contains("<meta name=\"pypi:repository-version\" content=\"1.3\">", html, StringComparison.Ordinal);
            Assert.Contains($" data-provenance=\"{link}\">", html, StringComparison.Ordinal);
            Assert.Single(Regex.Matches(html, "data-provenance="));
        }

        [Fact]
        public void Anchor_text_is_the_last_path_segment_of_the_href()
        {
            var anchors = Anchors(Html(SimpleHtmlWriter.WriteProjectPage(SampleIndex.ProjectPage)));
            Assert.Equal(SampleIndex.ProjectPage.Files.Count, anchors.Count);
            foreach (var (href, text, _) in anchors)
            {
                var path = href.Split('#')[0].Split('?')[0];
                Assert.Equal(Uri.UnescapeDataString(path[(path.LastIndexOf('/') + 1)..]), text);
                Assert.Matches("#sha256=[0-9a-f]{64}$", href);
            }
        }

        [Fact]
        public void Escapes_requires_python_exactly_once()
        {
            var html = Html(SimpleHtmlWriter.WriteProjectPage(SampleIndex.ProjectPage));
            Assert.Contains("data-requires-python=\"&gt;=3.8\"", html, StringComparison.Ordinal);
            Assert.Contains("data-requires-python=\"&lt;4,&gt;=3.8\"", html, StringComparison.Ordinal);
            Assert.DoesNotContain("&amp;gt;", html, StringComparison.Ordinal);
            Assert.Equal(">=3.8", System.Net.WebUtility.HtmlDecode(Anchors(html)[0].Attributes["data-requires-python"]));
        }

        [Fact]
        public void Escapes_urls_with_queries_once_and_keeps_the_fragment_last()
        {
            var file = SampleIndex.ProjectPage.Files[0] with { Url = "https://s3.test/b/foo_bar-1.0-py3-none-any.whl?X-Amz-Date=1&X-Amz-Signature=a\"b" };
            var html = Html(SimpleHtmlWriter.WriteProjectPage(SampleIndex.ProjectPage with { Files = [file] }));
            Assert.Contains("?X-Amz-Date=1&amp;X-Amz-Signature=a&quot;b#sha256=", html, StringComparison.Ordinal);
            Assert.DoesNotContain("&amp;amp;", html, StringComparison.Ordinal);
            var anchor = Assert.Single(Anchors(html));
            Assert.Equal($"{file.Url}#sha256={file.Sha256}", anchor.Href);
        }

        [Fact]
        public void Writes_optional_attributes_only_when_they_apply()
        {
            var anchors = Anchors(Html(SimpleHtmlWriter.WriteProjectPage(SampleIndex.ProjectPage)));

            var wheel = anchors[0].Attributes;
            Assert.Equal($"sha256={SampleIndex.MetadataSha256}", wheel["data-core-metadata"]);
            Assert.Equal(wheel["data-core-metadata"], wheel["data-dist-info-metadata"]);
            Assert.False(wheel.ContainsKey("data-yanked"));

            var sdist = anchors[1].Attributes;
            Assert.False(sdist.ContainsKey("data-core-metadata"));
            Assert.False(sdist.ContainsKey("data-dist-info-metadata"));
            Assert.Equal("broken <build> & \"bad\" 'quote' — ünïcode", System.Net.WebUtility.HtmlDecode(sdist["data-yanked"]));

            var local = anchors[2].Attributes;
            Assert.Equal("", local["data-yanked"]);
            Assert.False(local.ContainsKey("data-requires-python"));
        }
    }

    internal sealed record Anchor(string Href, string Text, Dictionary<string, string> Attributes);

    // Enough of an HTML reader for our own output: one anchor per line, double-quoted attributes.
    internal static List<Anchor> Anchors(string html) =>
    [
        .. AnchorPattern().Matches(html).Select(match =>
        {
            var attributes = AttributePattern().Matches(match.Groups["attrs"].Value)
                .ToDictionary(a => a.Groups["name"].Value, a => a.Groups["value"].Value);
            return new Anchor(System.Net.WebUtility.HtmlDecode(attributes["href"]), System.Net.WebUtility.HtmlDecode(match.Groups["text"].Value), attributes);
        }),
    ];

    [GeneratedRegex("<a(?<attrs>[^>]*)>(?<text>[^<]*)</a>")]
    private static partial Regex AnchorPattern();

    [GeneratedRegex("""\s(?<name>[a-z-]+)="(?<value>[^"]*)"(?=\s|$)""")]
    private static partial Regex AttributePattern();
}
