using System.Text.Json;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Downloads;
using PypiLocal.Core.Tests.Support;
using PypiLocal.Core.Upstream;
using PypiLocal.Protocol.Simple;
using PypiLocal.Testing;

namespace PypiLocal.Core.Tests.Upstream;

/// <summary>Release policies as pages and downloads apply them, when served, on a fake clock.</summary>
public sealed class UpstreamPolicyTests : IDisposable
{
    private readonly UpstreamHarness _h = new(o =>
    {
        o.Ttl = TimeSpan.FromDays(30);
        o.Policy.MinAge = TimeSpan.FromDays(7);
    });

    public void Dispose() => _h.Dispose();

    /// <summary>"versions | files", comma-separated, as the JSON page lists them.</summary>
    private async Task<string> PageAsync(string project)
    {
        var page = await _h.Pages.GetProjectAsync(project, SimpleMediaType.JsonV1, default);
        using var json = JsonDocument.Parse(page!.Body);
        return string.Join(',', json.RootElement.GetProperty("versions").EnumerateArray().Select(v => v.GetString()))
            + " | " + string.Join(',', json.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("filename").GetString()));
    }

    [Fact]
    public async Task A_young_release_leaves_the_page_and_versions_is_refused_with_the_reason_and_appears_when_it_comes_of_age()
    {
        var old = _h.Upstream.AddWheel("demo", "1.0", UpstreamHarness.Start - TimeSpan.FromDays(30));
        var young = _h.Upstream.AddWheel("demo", "2.0", UpstreamHarness.Start - TimeSpan.FromDays(2));

        Assert.Equal($"1.0 | {old}", await PageAsync("demo"));
        var refused = Assert.IsType<RefusedDownload>(await _h.Downloads.GetAsync("demo", young, DownloadPart.File, default));
        Assert.Contains("less than the minimum age of 7 days ago", refused.Reason, StringComparison.Ordinal);
        Assert.IsType<FetchDownload>(await _h.Downloads.GetAsync("demo", old, DownloadPart.File, default));

        // The cached page expires by itself when the young file comes of age.
        _h.Time.Advance(TimeSpan.FromDays(5) + TimeSpan.FromSeconds(1));
        Assert.Equal($"1.0,2.0 | {old},{young}", await PageAsync("demo"));
        Assert.Equal(1, _h.Upstream.RequestsFor("/simple/demo/"));
    }

    [Fact]
    public async Task A_changed_policy_is_not_served_from_pages_rendered_under_the_old_one()
    {
        _h.Upstream.AddWheel("demo", "1.0", UpstreamHarness.Start - TimeSpan.FromDays(2));
        Assert.Equal(" | ", await PageAsync("demo"));

        // Another node (or this one after a restart) with break glass for the project, on the same shared page cache.
        var relaxed = new UpstreamOptions { Indexes = _h.Options.Indexes, Ttl = _h.Options.Ttl, Policy = _h.Options.Policy };
        relaxed.Projects["demo"] = new UpstreamProjectOptions { Bypass = true };
        var policy = new ReleasePolicy(relaxed);
        var views = new Core.Pages.ProjectViews(_h.Local, Core.Projects.ProjectStatuses.None, _h.Projects, _h.Store, policy, _h.Time, Microsoft.Extensions.Logging.Abstractions.NullLogger<Core.Pages.ProjectViews>.Instance);
        var pages = new Core.Pages.IndexPageService(_h.Local, _h.PageCache, views, policy, _h.Time, Microsoft.Extensions.Logging.Abstractions.NullLogger<Core.Pages.IndexPageService>.Instance);

        var page = await pages.GetProjectAsync("demo", SimpleMediaType.JsonV1, default);
        using var json = JsonDocument.Parse(page!.Body);
        Assert.Equal(1, json.RootElement.GetProperty("files").GetArrayLength());
    }

    [Fact]
    public async Task Local_projects_are_held_back_too_on_pages_the_json_api_and_downloads_when_the_operator_says_so()
    {
        using var h = new UpstreamHarness(o =>
        {
            o.Policy.MinAge = TimeSpan.FromDays(7);
            o.Policy.ApplyToLocal = true;
        });
        h.Local.Seed(new DistributionFile("mine", "mine-1.0.tar.gz", "1.0", Protocol.Filenames.DistributionKind.Sdist, 3, new FileDigests(new string('a', 64)), UpstreamHarness.Start - TimeSpan.FromDays(30)), [1, 2, 3]);
        h.Local.Seed(new DistributionFile("mine", "mine-2.0.tar.gz", "2.0", Protocol.Filenames.DistributionKind.Sdist, 3, new FileDigests(new string('b', 64)), UpstreamHarness.Start), [1, 2, 3]);

        var page = await h.Pages.GetProjectAsync("mine", SimpleMediaType.JsonV1, default);
        using var json = JsonDocument.Parse(page!.Body);
        using var pypiJson = JsonDocument.Parse((await h.JsonApi.GetAsync("mine", null, "http://index", default))!);

        Assert.Equal(["1.0"], json.RootElement.GetProperty("versions").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(["1.0"], pypiJson.RootElement.GetProperty("releases").EnumerateObject().Select(r => r.Name));
        Assert.Equal("1.0", pypiJson.RootElement.GetProperty("info").GetProperty("version").GetString());
        var refused = Assert.IsType<RefusedDownload>(await h.Downloads.GetAsync("mine", "mine-2.0.tar.gz", DownloadPart.File, default));
        Assert.Contains("less than the minimum age of 7 days ago", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Files_without_an_upload_time_are_hidden_unless_the_setting_allows_them()
    {
        var filename = _h.Upstream.AddWheel("timeless", "1.0", uploaded: null);

        Assert.Equal(" | ", await PageAsync("timeless"));
        var refused = Assert.IsType<RefusedDownload>(await _h.Downloads.GetAsync("timeless", filename, DownloadPart.File, default));
        Assert.Contains("has no known upload time", refused.Reason, StringComparison.Ordinal);
        Assert.Equal(DistributionBuilder.WheelFilename("timeless", "1.0"), filename);
    }
}
