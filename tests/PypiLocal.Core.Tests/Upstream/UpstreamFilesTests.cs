using System.Security.Cryptography;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Downloads;
using PypiLocal.Core.Tests.Support;
using PypiLocal.Core.Upstream;

namespace PypiLocal.Core.Tests.Upstream;

/// <summary>Upstream file fetches: one per node for concurrent requests, checked before kept, never a complete wrong file.</summary>
public sealed class UpstreamFilesTests : IDisposable
{
    private readonly UpstreamHarness _h = new();

    public void Dispose() => _h.Dispose();

    private async Task<UpstreamFetch> StartAsync(string project, string filename, DownloadPart part = DownloadPart.File) =>
        Assert.IsType<FetchDownload>(await _h.Downloads.GetAsync(project, filename, part, default)).Fetch;

    private static async Task<(byte[] Bytes, long Position)> ReadAsync(UpstreamFetch fetch)
    {
        using var reader = fetch.OpenReader()!;
        using var buffer = new MemoryStream();
        var position = 0L;
        while (true)
        {
            position = await reader.CopyAvailableAsync(position, buffer, default);
            if (fetch.Verified.IsCompleted && (!fetch.Verified.Result || position == fetch.Written))
            {
                return (buffer.ToArray(), position);
            }
        }
    }

    [Fact]
    public void A_partial_fetch_older_than_the_grace_period_is_deleted_when_a_node_starts_and_a_recent_one_is_kept()
    {
        // The directory every node on this machine fetches into (a node killed mid-fetch leaves its .part behind).
        var directory = Path.Combine(Path.GetTempPath(), "pypilocal-upstream");
        Directory.CreateDirectory(directory);
        var stale = Path.Combine(directory, $"{Guid.NewGuid():N}.part");
        var recent = Path.Combine(directory, $"{Guid.NewGuid():N}.part");
        File.WriteAllBytes(stale, [1, 2, 3]);
        File.WriteAllBytes(recent, [4, 5, 6]);
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow - TimeSpan.FromHours(1));
        try
        {
            using var node = new UpstreamHarness();

            Assert.False(File.Exists(stale), "a partial fetch from an hour ago was left");
            Assert.True(File.Exists(recent), "a fetch another node may be writing now was deleted");
        }
        finally
        {
            File.Delete(stale);
            File.Delete(recent);
        }
    }

    [Fact]
    public async Task Concurrent_requests_share_one_upstream_transfer_and_all_get_the_verified_bytes()
    {
        var filename = _h.Upstream.AddWheel("demo", "1.0", UpstreamHarness.Start, padding: 200_000);
        _h.Upstream.Pause = new TaskCompletionSource();

        var fetches = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => StartAsync("demo", filename)));
        var reads = fetches.Select(ReadAsync).ToList();
        _h.Upstream.Pause.SetResult();
        var results = await Task.WhenAll(reads);

        Assert.Single(fetches.Distinct());
        Assert.Equal(1, _h.Upstream.RequestsFor($"/files/demo/{filename}"));
        var expected = _h.Upstream.BytesOf("demo", filename);
        Assert.All(results, r => Assert.Equal(expected, r.Bytes));
        Assert.IsType<ServeDownload>(await _h.Downloads.GetAsync("demo", filename, DownloadPart.File, default));
    }

    [Fact]
    public async Task Bytes_that_fail_the_hash_are_never_handed_out_whole_and_never_kept()
    {
        var filename = _h.Upstream.AddWheel("demo", "1.0", UpstreamHarness.Start, padding: 100_000);
        var size = _h.Upstream.BytesOf("demo", filename).Length;
        _h.Upstream.Corrupt = true;
        _h.Upstream.Pause = new TaskCompletionSource();

        var fetch = await StartAsync("demo", filename);
        var read = ReadAsync(fetch);
        await fetch.WaitForMoreAsync(size / 2 - 1, default);
        _h.Upstream.Pause.SetResult();
        var (bytes, position) = await read;

        var outcome = await fetch.Completion;
        Assert.False(outcome.Kept);
        Assert.Contains("do not match its sha256", outcome.Failure, StringComparison.Ordinal);
        Assert.True(position < size, "the reader must not get the whole file");
        Assert.True(bytes.Length < size);
        Assert.Empty(await _h.Store.ListFilesAsync("demo", default));

        // Nothing bad was kept: a clean transfer later is fetched anew and kept.
        _h.Upstream.Corrupt = false;
        _h.Upstream.Pause = null;
        var again = await StartAsync("demo", filename);
        Assert.True((await again.Completion).Kept);
        Assert.Equal(2, _h.Upstream.RequestsFor($"/files/demo/{filename}"));
    }

    [Fact]
    public async Task Core_metadata_is_fetched_checked_and_kept_like_the_file()
    {
        var filename = _h.Upstream.AddWheel("demo", "1.0", UpstreamHarness.Start);

        var fetch = await StartAsync("demo", filename, DownloadPart.CoreMetadata);

        Assert.True((await fetch.Completion).Kept);
        var served = Assert.IsType<ServeDownload>(await _h.Downloads.GetAsync("demo", filename, DownloadPart.CoreMetadata, default));
        await using var stream = await ((StreamDownload)served.Target).Open(default);
        var kept = await _h.Store.ReadAsync("demo", default);
        Assert.Equal(kept!.Find(filename)!.CoreMetadataSha256, Convert.ToHexStringLower(await SHA256.HashDataAsync(stream)));
        Assert.Equal(0, _h.Upstream.RequestsFor($"/files/demo/{filename}"));
    }

    [Fact]
    public async Task A_file_the_upstream_no_longer_has_is_a_not_found()
    {
        var filename = _h.Upstream.AddWheel("demo", "1.0", UpstreamHarness.Start);
        await _h.Projects.GetAsync("demo", default);
        _h.Upstream.Remove("demo", filename);

        var outcome = await (await StartAsync("demo", filename)).Completion;

        Assert.True(outcome.NotFound);
    }
}
