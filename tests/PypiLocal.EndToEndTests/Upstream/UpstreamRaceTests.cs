using System.Net;
using System.Security.Cryptography;
using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.Upstream;

/// <summary>
/// Nodes of one cluster racing to cache the same upstream file (<see cref="UpstreamRaceFixture"/>): each fetches it at
/// most once, every client gets the right bytes, the bucket keeps one whole copy, and a node killed mid-fetch harms
/// nobody else.
/// </summary>
public sealed class UpstreamRaceTests(UpstreamRaceFixture f) : IClassFixture<UpstreamRaceFixture>
{
    private const string Metadata = ".metadata";

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static string FileUrl(PypiLocalServer node, string project, string filename, string suffix = "") =>
        $"{node.BaseUrl}/packages/{project}/{filename}{suffix}";

    private string Original(string filename, string suffix = "") =>
        Sha256(File.ReadAllBytes(Path.Combine(f.UpstreamFolder, "packages", filename + suffix)));

    private async Task<IReadOnlyList<string>> KeptAsync(string project) =>
        [.. (await f.Moto.ListKeysAsync(UpstreamRaceFixture.Bucket)).Where(k => k.StartsWith($"upstream/files/{project}/", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Two_nodes_racing_for_an_uncached_file_and_its_metadata_fetch_each_at_most_once_per_node_and_keep_one_whole_copy()
    {
        var filename = DistributionBuilder.WheelFilename("race-lib", "1.0");
        var (file, metadata) = (Original(filename), Original(filename, Metadata));

        // 20 downloads of the file and 10 of its metadata through each node, all at once, from a cold cache.
        var downloads = f.Nodes.SelectMany(node => Enumerable.Range(0, 30).Select(i => i < 20
                ? DownloadAsync(FileUrl(node, "race-lib", filename), file)
                : DownloadAsync(FileUrl(node, "race-lib", filename, Metadata), metadata)))
            .ToList();
        var answers = await Task.WhenAll(downloads);

        Assert.All(answers, answer => Assert.Equal(answer.Expected, answer.Got));
        foreach (var path in new[] { $"/packages/{filename}", $"/packages/{filename}{Metadata}" })
        {
            // nginx logs a request as it ends; the slowest node's may still be running.
            Assert.True(await Eventually.TrueAsync(() => f.Upstream.RequestsFor(path) > 0, TimeSpan.FromSeconds(30)), $"the upstream served {path}");
            Assert.InRange(f.Upstream.RequestsFor(path), 1, f.Nodes.Count);
        }

        // Readers are answered once the bytes are verified, while they are still being kept: wait for the copies.
        string[] expectedKeys = [$"upstream/files/race-lib/{filename}", $"upstream/files/race-lib/{filename}{Metadata}"];
        Assert.True(
            await Eventually.TrueAsync(async () => (await KeptAsync("race-lib")).SequenceEqual(expectedKeys), TimeSpan.FromSeconds(60)),
            $"one copy of the file and one of its metadata are kept, got: {string.Join(", ", await KeptAsync("race-lib"))}");
        Assert.DoesNotContain(await f.Moto.ListOpenUploadsAsync(UpstreamRaceFixture.Bucket), key => key.StartsWith("upstream/", StringComparison.Ordinal));

        // Nor is anything left of the fetches on the nodes' disks.
        Assert.True(
            await Eventually.TrueAsync(() => f.Nodes.All(node => PartialFiles(node).Length == 0), TimeSpan.FromSeconds(30)),
            $"no partial files are left, got: {string.Join(", ", f.Nodes.SelectMany(PartialFiles))}");
        var fetched = (f.Upstream.RequestsFor($"/packages/{filename}"), f.Upstream.RequestsFor($"/packages/{filename}{Metadata}"));

        // With the upstream stopped, every node serves the kept copies from the bucket.
        await WithUpstreamStoppedAsync(async () =>
        {
            foreach (var node in f.Nodes)
            {
                Assert.Equal(file, await DownloadFromBucketAsync(FileUrl(node, "race-lib", filename)));
                Assert.Equal(metadata, await DownloadFromBucketAsync(FileUrl(node, "race-lib", filename, Metadata)));
            }
        });
        Assert.Equal(fetched, (f.Upstream.RequestsFor($"/packages/{filename}"), f.Upstream.RequestsFor($"/packages/{filename}{Metadata}")));
    }

    [Fact]
    public async Task A_node_killed_mid_fetch_leaves_the_other_nodes_answer_right_and_the_kept_copy_whole()
    {
        var filename = DistributionBuilder.WheelFilename("killed-lib", "1.0");
        var expected = Original(filename);
        var victim = await f.StartNodeAsync();
        try
        {
            // Both nodes are streaming the file to a client as they fetch it (4 MiB at 1 MB/s): each has sent some of it.
            using var dying = await StartReadingAsync(FileUrl(victim, "killed-lib", filename));
            using var surviving = await StartReadingAsync(FileUrl(f.Nodes[0], "killed-lib", filename));

            await victim.DisposeAsync(); // SIGKILL

            var cut = await Record.ExceptionAsync(() => dying.Content.CopyToAsync(Stream.Null));
            Assert.True(cut is HttpRequestException or IOException, $"the killed node's transfer must fail, got {cut?.GetType().Name ?? "a complete body"}");
            Assert.Equal(expected, Sha256(await surviving.Content.ReadAsByteArrayAsync()));
        }
        finally
        {
            await victim.DisposeAsync();
        }

        string[] expectedKeys = [$"upstream/files/killed-lib/{filename}"];
        Assert.True(
            await Eventually.TrueAsync(async () => (await KeptAsync("killed-lib")).SequenceEqual(expectedKeys), TimeSpan.FromSeconds(60)),
            $"one copy of the file is kept, got: {string.Join(", ", await KeptAsync("killed-lib"))}");
        await WithUpstreamStoppedAsync(async () =>
        {
            foreach (var node in f.Nodes)
            {
                Assert.Equal(expected, await DownloadFromBucketAsync(FileUrl(node, "killed-lib", filename)));
            }
        });
    }

    private string[] PartialFiles(PypiLocalServer node) =>
        Directory.GetFiles(f.TemporaryFolder(node), "*.part", SearchOption.AllDirectories);

    private async Task<(string Expected, string Got)> DownloadAsync(string url, string expected) =>
        (expected, Sha256(await f.Http.GetByteArrayAsync(url)));

    /// <summary>A download streamed by a node as it fetches the file: its headers are in (a node sends them after the first MiB), the rest to come.</summary>
    private async Task<HttpResponseMessage> StartReadingAsync(string url)
    {
        var response = await f.Http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Headers.Location);
        return response;
    }

    /// <summary>The sha256 of a download that the node answers with a redirect to the bucket (a kept copy).</summary>
    private async Task<string> DownloadFromBucketAsync(string url)
    {
        using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var answer = await noRedirect.GetAsync(url);
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        return Sha256(await f.Http.GetByteArrayAsync(answer.Headers.Location));
    }

    private async Task WithUpstreamStoppedAsync(Func<Task> action)
    {
        f.Relay.Cut();
        try
        {
            await action();
        }
        finally
        {
            f.Relay.Restore();
        }
    }
}
