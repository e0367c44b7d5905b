using System.Text;
using System.Text.Json;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Downloads;
using PypiLocal.Core.Tests.Support;
using PypiLocal.Core.Upstream;
using PypiLocal.Protocol.Filenames;
using PypiLocal.Protocol.Simple;
using PypiLocal.Testing;

namespace PypiLocal.Core.Tests.Upstream;

/// <summary>Upstream pages: local first, kept with validators, revalidated after the TTL, served stale when the upstream fails.</summary>
public sealed class UpstreamProjectsTests : IDisposable
{
    private const string PagePath = "/simple/demo/";
    private readonly UpstreamHarness _h = new(o =>
    {
        o.Ttl = TimeSpan.FromMinutes(10);
        o.NotFoundTtl = TimeSpan.FromMinutes(1);
        o.Deny = ["acme-*"];
    });

    public void Dispose() => _h.Dispose();

    private async Task<JsonDocument> JsonPageAsync(string project)
    {
        var page = await _h.Pages.GetProjectAsync(project, SimpleMediaType.JsonV1, default);
        Assert.NotNull(page);
        return JsonDocument.Parse(page.Body);
    }

    [Fact]
    public async Task A_page_is_fetched_once_kept_with_every_upstream_fact_and_revalidated_with_a_conditional_request_after_the_ttl()
    {
        var uploaded = UpstreamHarness.Start - TimeSpan.FromDays(400);
        var filename = _h.Upstream.AddWheel("demo", "1.0", uploaded);

        using (var first = await JsonPageAsync("demo"))
        {
            var file = first.RootElement.GetProperty("files")[0];
            Assert.Equal($"/packages/demo/{filename}", file.GetProperty("url").GetString());
            Assert.Equal("2025-09-27T12:00:00.000000Z", file.GetProperty("upload-time").GetString());
            Assert.Equal(_h.Upstream.BytesOf("demo", filename).Length, file.GetProperty("size").GetInt64());
        }

        _h.Time.Advance(TimeSpan.FromMinutes(9));
        (await JsonPageAsync("demo")).Dispose();
        Assert.Equal(1, _h.Upstream.RequestsFor(PagePath));

        _h.Time.Advance(TimeSpan.FromMinutes(2));
        (await JsonPageAsync("demo")).Dispose();
        Assert.Equal(2, _h.Upstream.RequestsFor(PagePath));
        var kept = await _h.Store.ReadAsync("demo", default);
        Assert.Equal(_h.Time.GetUtcNow(), kept!.FetchedAt);
        Assert.NotNull(kept.ETag);
    }

    [Fact]
    public async Task An_upstream_yank_shows_after_the_next_revalidation()
    {
        var filename = _h.Upstream.AddWheel("demo", "1.0", UpstreamHarness.Start);
        (await JsonPageAsync("demo")).Dispose();

        _h.Upstream.Yank("demo", filename, "broken build");
        using (var before = await JsonPageAsync("demo"))
        {
            Assert.False(before.RootElement.GetProperty("files")[0].GetProperty("yanked").GetBoolean());
        }

        _h.Time.Advance(TimeSpan.FromMinutes(11));
        using var after = await JsonPageAsync("demo");
        Assert.Equal("broken build", after.RootElement.GetProperty("files")[0].GetProperty("yanked").GetString());
    }

    [Fact]
    public async Task When_the_upstream_fails_the_kept_page_is_served_and_health_says_so_until_it_answers_again()
    {
        _h.Upstream.AddWheel("demo", "1.0", UpstreamHarness.Start);
        (await JsonPageAsync("demo")).Dispose();

        _h.Upstream.Down = true;
        _h.Time.Advance(TimeSpan.FromMinutes(11));
        using (var stale = await JsonPageAsync("demo"))
        {
            Assert.Equal(1, stale.RootElement.GetProperty("files").GetArrayLength());
        }

        Assert.Equal("stub", Assert.Single(_h.Health.Failing).Index);

        // Not asked again before the retry time, then asked and healthy again.
        var requests = _h.Upstream.RequestsFor(PagePath);
        (await JsonPageAsync("demo")).Dispose();
        Assert.Equal(requests, _h.Upstream.RequestsFor(PagePath));
        _h.Upstream.Down = false;
        _h.Time.Advance(TimeSpan.FromSeconds(31));
        (await JsonPageAsync("demo")).Dispose();
        Assert.Empty(_h.Health.Failing);
    }

    [Fact]
    public async Task When_the_upstream_is_slow_the_kept_page_is_served_and_the_revalidation_goes_on_for_later_requests()
    {
        var filename = _h.Upstream.AddWheel("demo", "1.0", UpstreamHarness.Start);
        (await JsonPageAsync("demo")).Dispose();
        _h.Upstream.Yank("demo", filename, "broken build");
        _h.Upstream.Hang = new TaskCompletionSource();
        _h.Time.Advance(TimeSpan.FromMinutes(11));

        var waiting = _h.Pages.GetProjectAsync("demo", SimpleMediaType.JsonV1, default);

        // The slow-answer timer starts once the revalidation is under way: move the clock on until it fires.
        await Eventually.TrueAsync(() => { _h.Time.Advance(TimeSpan.FromSeconds(1)); return waiting.IsCompleted; }, TimeSpan.FromSeconds(30));

        using (var stale = JsonDocument.Parse((await waiting.WaitAsync(TimeSpan.FromSeconds(1)))!.Body))
        {
            Assert.False(stale.RootElement.GetProperty("files")[0].GetProperty("yanked").GetBoolean());
        }

        // The upstream answers at last: one request in all, and the next page shows its answer.
        _h.Upstream.Hang.SetResult();
        await Eventually.TrueAsync(async () => (await _h.Store.ReadAsync("demo", default))!.Files[0].Yanked, TimeSpan.FromSeconds(30));

        _h.Time.Advance(UpstreamProjects.SlowAnswer);
        using var fresh = await JsonPageAsync("demo");
        Assert.Equal("broken build", fresh.RootElement.GetProperty("files")[0].GetProperty("yanked").GetString());
        Assert.Equal(2, _h.Upstream.RequestsFor(PagePath));
    }

    [Fact]
    public async Task With_nothing_kept_a_failing_upstream_is_the_answer_and_later_indexes_are_not_asked()
    {
        using var h = new UpstreamHarness(o => o.Indexes.Add(new UpstreamIndexOptions { Name = "second", Url = new Uri("http://second.test/other/simple/") }));
        h.Upstream.Down = true;

        var failure = await Assert.ThrowsAsync<UpstreamUnavailableException>(() => h.Projects.GetAsync("demo", default));

        Assert.Contains("stub failed", failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, h.Upstream.RequestsFor("/other/simple/demo/"));
    }

    [Fact]
    public async Task Not_found_everywhere_is_remembered_for_the_not_found_ttl()
    {
        Assert.Null(await _h.Projects.GetAsync("nowhere", default));
        Assert.Null(await _h.Projects.GetAsync("nowhere", default));
        Assert.Equal(1, _h.Upstream.RequestsFor("/simple/nowhere/"));

        _h.Upstream.AddWheel("nowhere", "1.0", UpstreamHarness.Start);
        _h.Time.Advance(TimeSpan.FromMinutes(2));

        Assert.NotNull(await _h.Projects.GetAsync("nowhere", default));
    }

    [Fact]
    public async Task Denied_names_are_never_asked_upstream()
    {
        _h.Upstream.AddWheel("acme-billing", "9.9", UpstreamHarness.Start);

        Assert.Null(await _h.Pages.GetProjectAsync("acme-billing", SimpleMediaType.JsonV1, default));
        Assert.IsType<MissingDownload>(await _h.Downloads.GetAsync("acme-billing", DistributionBuilderName("acme-billing", "9.9"), DownloadPart.File, default));
        Assert.Equal(0, _h.Upstream.RequestsFor("/simple/acme-billing/"));
    }

    [Fact]
    public async Task A_local_project_shadows_the_upstream_one_even_with_a_higher_version()
    {
        SeedLocal("shadowed", "1.0");
        var upstreamFile = _h.Upstream.AddWheel("shadowed", "9.0", UpstreamHarness.Start);

        using var page = await JsonPageAsync("shadowed");

        Assert.Equal(["1.0"], page.RootElement.GetProperty("versions").EnumerateArray().Select(v => v.GetString()));
        Assert.IsType<MissingDownload>(await _h.Downloads.GetAsync("shadowed", upstreamFile, DownloadPart.File, default));
        Assert.Equal(0, _h.Upstream.RequestsFor("/simple/shadowed/"));
    }

    [Fact]
    public async Task A_local_project_the_operator_merges_lists_the_upstream_files_too()
    {
        using var h = new UpstreamHarness(o => o.Projects["merged"] = new UpstreamProjectOptions { Merge = true });
        h.Local.Seed(new DistributionFile("merged", "merged-1.0.tar.gz", "1.0", DistributionKind.Sdist, 3, new FileDigests(new string('a', 64)), UpstreamHarness.Start), [1, 2, 3]);
        var upstreamFile = h.Upstream.AddWheel("merged", "2.0", UpstreamHarness.Start);

        var page = await h.Pages.GetProjectAsync("merged", SimpleMediaType.JsonV1, default);
        using var json = JsonDocument.Parse(page!.Body);

        Assert.Equal(["1.0", "2.0"], json.RootElement.GetProperty("versions").EnumerateArray().Select(v => v.GetString()));
        Assert.IsType<FetchDownload>(await h.Downloads.GetAsync("merged", upstreamFile, DownloadPart.File, default));
    }

    [Fact]
    public async Task A_file_removed_upstream_stays_listed_and_served_while_its_bytes_are_cached()
    {
        var cached = _h.Upstream.AddWheel("demo", "1.0", UpstreamHarness.Start);
        var notCached = _h.Upstream.AddWheel("demo", "2.0", UpstreamHarness.Start);
        await DownloadAsync("demo", cached);

        _h.Upstream.Remove("demo", cached);
        _h.Upstream.Remove("demo", notCached);
        _h.Upstream.AddWheel("demo", "3.0", UpstreamHarness.Start);
        _h.Time.Advance(TimeSpan.FromMinutes(11));

        using var page = await JsonPageAsync("demo");
        Assert.Equal([cached, DistributionBuilderName("demo", "3.0")], page.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("filename").GetString()));
        Assert.IsType<ServeDownload>(await _h.Downloads.GetAsync("demo", cached, DownloadPart.File, default));
    }

    [Fact]
    public async Task Purging_a_project_forgets_it_and_the_next_request_fetches_it_again()
    {
        var filename = _h.Upstream.AddWheel("demo", "1.0", UpstreamHarness.Start);
        await DownloadAsync("demo", filename);

        Assert.Equal(2, await _h.Cache.PurgeAsync("demo", null, default));

        Assert.Empty(await _h.Cache.ListAsync(default));
        (await JsonPageAsync("demo")).Dispose();
        Assert.Equal(2, _h.Upstream.RequestsFor(PagePath));
    }

    private async Task<byte[]> DownloadAsync(string project, string filename)
    {
        var answer = Assert.IsType<FetchDownload>(await _h.Downloads.GetAsync(project, filename, DownloadPart.File, default));
        Assert.True((await answer.Fetch.Completion).Kept);
        var served = Assert.IsType<ServeDownload>(await _h.Downloads.GetAsync(project, filename, DownloadPart.File, default));
        await using var stream = await ((StreamDownload)served.Target).Open(default);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private void SeedLocal(string project, string version) =>
        _h.Local.Seed(new DistributionFile(project, $"{project}-{version}.tar.gz", version, DistributionKind.Sdist, 3, new FileDigests(new string('a', 64)), UpstreamHarness.Start), Encoding.UTF8.GetBytes("abc"));

    private static string DistributionBuilderName(string project, string version) => PypiLocal.Testing.DistributionBuilder.WheelFilename(project, version);
}
