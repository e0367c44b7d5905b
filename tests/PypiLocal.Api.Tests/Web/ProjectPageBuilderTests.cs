using PypiLocal.Api.Security;
using PypiLocal.Api.Web;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Projects;
using PypiLocal.Protocol.Filenames;
using PypiLocal.Protocol.Simple;

namespace PypiLocal.Api.Tests.Web;

/// <summary>The page's rules without HTTP: which release is latest, what the description becomes.</summary>
public sealed class ProjectPageBuilderTests
{
    [Theory]
    [InlineData("text/markdown", "[x](javascript:alert(1))", "<a href=\"#\">x</a>")]
    [InlineData("text/markdown; variant=GFM", "<javascript:alert(1)>", "href=\"#\"")]
    [InlineData("text/markdown", "<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;")]
    [InlineData("text/markdown", "[ok](https://example.org/a:b)", "<a href=\"https://example.org/a:b\">ok</a>")]
    [InlineData("text/x-rst", "Title\n=====\n<b>", "<pre class=\"plain\">Title\n=====\n&lt;b&gt;</pre>")]
    [InlineData(null, "*not markdown*", "<pre class=\"plain\">*not markdown*</pre>")]
    public void Descriptions_become_safe_html(string? contentType, string description, string expected)
    {
        var html = DescriptionRenderer.ToHtml(description, contentType, ImageSources.None);

        Assert.Contains(expected, html);
        Assert.DoesNotContain("javascript:", html);
    }

    [Theory]
    [InlineData("![logo](/static/logo.png)", "<img src=\"/static/logo.png\" alt=\"logo\" />")]
    [InlineData("![build](https://img.shields.io/badge.svg)", "<a href=\"https://img.shields.io/badge.svg\">build</a>")]
    [InlineData("![](//tracker.example/pixel.gif)", "<a href=\"//tracker.example/pixel.gif\">image</a>")]
    [InlineData("![x](/\\tracker.example/pixel.gif)", "<a href=\"/%5Ctracker.example/pixel.gif\">x</a>")]
    public void Remote_images_become_links_unless_their_source_is_allowed(string description, string expected)
    {
        var html = DescriptionRenderer.ToHtml(description, "text/markdown", ImageSources.None);

        Assert.Contains(expected, html);
    }

    [Fact]
    public void Images_from_an_allowed_source_stay_images_and_others_still_become_links()
    {
        var images = ImageSources.Of("https://img.shields.io");

        var html = DescriptionRenderer.ToHtml("![a](https://img.shields.io/a.svg) ![b](https://tracker.example/b.gif)", "text/markdown", images);

        Assert.Contains("<img src=\"https://img.shields.io/a.svg\" alt=\"a\" />", html);
        Assert.Contains("<a href=\"https://tracker.example/b.gif\">b</a>", html);
        Assert.True(ImageSources.Of("https:").Allows("https://anything.example/x.png"));
        Assert.False(ImageSources.Of("https:").Allows("http://anything.example/x.png"));
    }

    [Fact]
    public void Latest_is_the_highest_final_release_that_is_not_wholly_yanked()
    {
        var listing = Listing(File("1.0"), File("1.2", yanked: true), File("2.0b1"), File("1.1"), File("1.1", yanked: true, wheel: false));

        var releases = ProjectPageBuilder.Releases(listing);

        Assert.Equal(["2.0b1", "1.2", "1.1", "1.0"], releases.Select(r => r.Version));
        Assert.Equal("1.1", ProjectPageBuilder.Latest(releases)?.Version);
        Assert.Equal("demo-1.1-py3-none-any.whl", ReleaseMetadata.FileOf(releases[2].Files)?.Filename);
    }

    [Fact]
    public void A_quarantined_project_keeps_its_name_and_status_and_nothing_else()
    {
        var options = new ProjectStatusOptions();
        options.Projects["Demo"] = new ProjectSettings { Status = ProjectStatus.Quarantined, StatusReason = "malware" };
        var statuses = new ProjectStatuses(Microsoft.Extensions.Options.Options.Create(options));

        var shown = statuses.Shown(Listing(File("1.0")));
        var model = ProjectPageBuilder.Build(shown, statuses.For("demo"), null);

        Assert.Equal("Demo", model.DisplayName);
        Assert.Empty(model.Releases);
        Assert.Null(model.LatestVersion);
        Assert.Null(model.Summary);
    }

    [Fact]
    public void Without_metadata_the_page_falls_back_to_the_index_facts()
    {
        var model = ProjectPageBuilder.Build(Listing(File("1.0", wheel: false)), null, null);

        Assert.Equal("1.0", model.LatestVersion);
        Assert.Equal(">=3.8", model.RequiresPython);
        Assert.Null(model.DescriptionHtml);
        Assert.Empty(model.RequiresDist);
    }

    private static ProjectListing Listing(params DistributionFile[] files) => new("demo", "Demo", files);

    private static DistributionFile File(string version, bool yanked = false, bool wheel = true) => new(
        "demo",
        wheel ? $"demo-{version}-py3-none-any.whl" : $"demo-{version}.tar.gz",
        version,
        wheel ? DistributionKind.Wheel : DistributionKind.Sdist,
        1000,
        new FileDigests(new string('a', 64)),
        DateTimeOffset.UnixEpoch,
        RequiresPython: ">=3.8",
        CoreMetadataSha256: wheel ? new string('b', 64) : null,
        Yanked: yanked);
}
