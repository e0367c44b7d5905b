using System.Text;
using PypiLocal.Core.Caching;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Pages;
using PypiLocal.Protocol.Filenames;
using PypiLocal.Protocol.Simple;

namespace PypiLocal.Core.Tests.Pages;

public sealed class ProvenanceLinksTests
{
    private static DistributionFile File(string filename, string version, string? provenanceSha256) =>
        new("demo", filename, version, DistributionKind.Sdist, 10, new FileDigests(new string('a', 64)), DateTimeOffset.UnixEpoch, ProvenanceSha256: provenanceSha256);

    [Fact]
    public void A_cached_page_links_only_files_with_provenance_and_each_response_gets_its_own_origin()
    {
        var listing = new ProjectListing("demo", "demo", [File("demo-1.0+local.tar.gz", "1.0+local", new string('b', 64)), File("demo-2.0.tar.gz", "2.0", null)]);

        var cached = SimplePageRenderer.RenderProject(SimplePageRenderer.ViewOf(listing), SimpleMediaType.JsonV1);
        var served = Encoding.UTF8.GetString(ProvenanceLinks.WithOrigin(cached, "https://index.example:8443/pypi"));

        Assert.Contains("\"provenance\":\"https://index.example:8443/pypi/integrity/demo/1.0%2Blocal/demo-1.0%2Blocal.tar.gz/provenance\"", served, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(served, "\"provenance\""));
        Assert.DoesNotContain(ProvenanceLinks.PlaceholderOrigin, served, StringComparison.Ordinal);
    }

    [Fact]
    public void A_page_without_provenance_is_served_as_cached()
    {
        var page = "{\"files\":[]}"u8.ToArray();

        Assert.Same(page, ProvenanceLinks.WithOrigin(page, "http://localhost"));
    }

    [Fact]
    public void A_cached_page_knows_once_whether_its_responses_need_an_origin()
    {
        var plain = SimplePageRenderer.RenderProject(SimplePageRenderer.ViewOf(new ProjectListing("demo", "demo", [File("demo-2.0.tar.gz", "2.0", null)])), SimpleMediaType.HtmlV1);
        var attested = SimplePageRenderer.RenderProject(SimplePageRenderer.ViewOf(new ProjectListing("demo", "demo", [File("demo-1.0.tar.gz", "1.0", new string('b', 64))])), SimpleMediaType.HtmlV1);

        Assert.False(new CachedPage(plain, "text/html", "\"a\"").LinksNeedOrigin);
        Assert.True(new CachedPage(attested, "text/html", "\"b\"").LinksNeedOrigin);
    }
}
