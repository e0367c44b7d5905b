using System.Security.Cryptography;
using System.Text;
using System.Web;
using Microsoft.Extensions.Time.Testing;
using PypiLocal.Core.Storage;
using PypiLocal.Infrastructure.Storage;
using PypiLocal.Infrastructure.Tests.Support;

namespace PypiLocal.Infrastructure.Tests.Storage;

[Collection(MotoCollection.Name)]
public sealed class S3BlobStoreTests(MotoServerFixture moto)
{
    private static MemoryStream Bytes(string text) => new(Encoding.UTF8.GetBytes(text));

    private static async Task<string> ReadAll(Stream? stream)
    {
        Assert.NotNull(stream);
        await using (stream)
        {
            using var reader = new StreamReader(stream);
            return await reader.ReadToEndAsync();
        }
    }

    [Fact]
    public async Task Put_get_stat_list_and_delete_round_trip()
    {
        using var store = moto.CreateStore();

        var written = await store.PutAsync("files/demo/a b+c.txt", Bytes("hello"), 5, BlobWriteCondition.None, default);
        await store.PutAsync("files/demo/other.txt", Bytes("x"), 1, BlobWriteCondition.None, default);
        await store.PutAsync("index/demo.json", Bytes("{}"), 2, BlobWriteCondition.None, default);

        Assert.True(written.Written);
        Assert.Equal("hello", await ReadAll(await store.OpenReadAsync("files/demo/a b+c.txt", default)));
        var info = await store.StatAsync("files/demo/a b+c.txt", default);
        Assert.Equal((5L, written.ETag), (info!.Length, info.ETag));
        Assert.StartsWith("\"", info.ETag, StringComparison.Ordinal);
        Assert.Equal(["files/demo/a b+c.txt", "files/demo/other.txt"], await store.ListAsync("files/", default).Select(b => b.Key).ToListAsync());

        await store.DeleteAsync("files/demo/a b+c.txt", default);
        await store.DeleteAsync("files/demo/never-there", default);

        Assert.Null(await store.StatAsync("files/demo/a b+c.txt", default));
        Assert.Null(await store.OpenReadAsync("files/demo/a b+c.txt", default));
    }

    [Fact]
    public async Task The_server_checks_signatures_so_a_wrong_secret_is_refused()
    {
        var options = moto.Options();
        using var store = moto.CreateStore(options);
        await store.PutAsync("signed", Bytes("x"), 1, BlobWriteCondition.None, default);
        using var wrong = moto.CreateStore(moto.Options(o => { o.Bucket = options.Bucket; o.SecretKey += "x"; o.CreateBucket = false; }));

        var e = await Assert.ThrowsAsync<S3RequestException>(() => wrong.StatAsync("signed", default));

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, e.Status);
        Assert.NotNull(await store.StatAsync("signed", default));
    }

    [Fact]
    public async Task Keys_with_plus_and_space_and_listings_by_prefix_are_signed_as_the_server_checks_them()
    {
        using var store = moto.CreateStore();

        await store.PutAsync("files/demo/demo-1.0+local.build-py3-none-any.whl", Bytes("a"), 1, BlobWriteCondition.IfNotExists, default);
        await store.PutAsync("files/demo/a b.txt", Bytes("b"), 1, BlobWriteCondition.None, default);

        Assert.Equal(
            ["files/demo/a b.txt", "files/demo/demo-1.0+local.build-py3-none-any.whl"],
            await store.ListAsync("files/demo/", default).Select(b => b.Key).ToListAsync());
        Assert.Equal("a", await ReadAll(await store.OpenReadAsync("files/demo/demo-1.0+local.build-py3-none-any.whl", default)));
    }

    [Fact]
    public async Task Listing_follows_continuation_pages()
    {
        using var store = moto.CreateStore();
        await Parallel.ForEachAsync(Enumerable.Range(0, 1005), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            await store.PutAsync($"many/{i:D4}", Bytes("x"), 1, BlobWriteCondition.None, ct));

        var keys = await store.ListAsync("many/", default).Select(b => b.Key).ToListAsync();

        Assert.Equal(Enumerable.Range(0, 1005).Select(i => $"many/{i:D4}"), keys);
    }

    [Fact]
    public async Task Conditional_writes_answer_precondition_failed()
    {
        using var store = moto.CreateStore();
        var first = await store.PutAsync("doc", Bytes("v1"), 2, BlobWriteCondition.IfNotExists, default);

        var again = await store.PutAsync("doc", Bytes("v2"), 2, BlobWriteCondition.IfNotExists, default);
        var stale = await store.PutAsync("doc", Bytes("v2"), 2, BlobWriteCondition.IfMatch("\"0123456789abcdef0123456789abcdef\""), default);
        var current = await store.PutAsync("doc", Bytes("v3"), 2, BlobWriteCondition.IfMatch(first.ETag!), default);
        var missing = await store.PutAsync("nothing", Bytes("v1"), 2, BlobWriteCondition.IfMatch(first.ETag!), default);

        Assert.True(first.Written);
        Assert.Equal(BlobWriteResult.PreconditionFailed, again);
        Assert.Equal(BlobWriteResult.PreconditionFailed, stale);
        Assert.True(current.Written);
        Assert.False(missing.Written);
        Assert.Equal("v3", await ReadAll(await store.OpenReadAsync("doc", default)));
    }

    [Fact]
    public async Task Multipart_writes_honour_their_conditions()
    {
        using var store = moto.CreateStore(o => o.PartSize = 5 * 1024 * 1024);
        const long size = 11L * 1024 * 1024;
        var created = await store.PutAsync("big", new PatternStream(size, 1), size, BlobWriteCondition.IfNotExists, default);

        var again = await store.PutAsync("big", new PatternStream(size, 2), size, BlobWriteCondition.IfNotExists, default);
        var stale = await store.PutAsync("big", new PatternStream(size, 3), size, BlobWriteCondition.IfMatch("\"0123456789abcdef0123456789abcdef-3\""), default);
        var current = await store.PutAsync("big", new PatternStream(size, 4), size, BlobWriteCondition.IfMatch(created.ETag!), default);

        Assert.True(created.Written);
        Assert.False(again.Written);
        Assert.False(stale.Written);
        Assert.True(current.Written);
        await using var stored = await store.OpenReadAsync("big", default);
        Assert.Equal(Sha256(new PatternStream(size, 4)), Convert.ToHexStringLower(await SHA256.HashDataAsync(stored!)));
    }

    [Fact]
    public async Task The_read_stream_seeks_with_ranged_gets()
    {
        using var store = moto.CreateStore();
        var content = Enumerable.Range(0, 100_000).Select(i => (byte)(i * 7)).ToArray();
        await store.PutAsync("ranged", new MemoryStream(content), content.Length, BlobWriteCondition.None, default);

        await using var stream = (await store.OpenReadAsync("ranged", default))!;
        Assert.True(stream.CanSeek);
        Assert.Equal(content.Length, stream.Length);
        stream.Seek(90_000, SeekOrigin.Begin);
        var tail = new byte[20_000];
        var read = await stream.ReadAtLeastAsync(tail, tail.Length, throwOnEndOfStream: false);
        stream.Position = 10;
        var head = new byte[5];
        await stream.ReadExactlyAsync(head);

        Assert.Equal(content[90_000..], tail[..read]);
        Assert.Equal(content[10..15], head);
        Assert.Equal(15, stream.Position);
    }

    [Fact]
    public async Task Presigned_urls_are_stable_within_a_window_and_change_across_windows()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 10, 17, 3, TimeSpan.Zero));
        var publicEndpoint = new Uri("https://files.example.test:8443");
        using var store = moto.CreateStore(o => { o.PublicEndpoint = publicEndpoint; o.PresignWindow = TimeSpan.FromHours(1); }, time);

        var first = (await store.GetReadUriAsync("files/demo/demo-1.0.tar.gz", default))!;
        time.Advance(TimeSpan.FromMinutes(42));
        var sameWindow = (await store.GetReadUriAsync("files/demo/demo-1.0.tar.gz", default))!;
        time.Advance(TimeSpan.FromMinutes(1));
        var nextWindow = (await store.GetReadUriAsync("files/demo/demo-1.0.tar.gz", default))!;

        Assert.Same(first, sameWindow); // signed once per window
        Assert.NotEqual(first, nextWindow);
        var query = HttpUtility.ParseQueryString(first.Query);
        Assert.Equal("20261124T100000Z", query["X-Amz-Date"]);
        Assert.Equal("7200", query["X-Amz-Expires"]);
        Assert.Equal("20261124T110000Z", HttpUtility.ParseQueryString(nextWindow.Query)["X-Amz-Date"]);
        Assert.Equal("files.example.test", first.Host);
        Assert.Equal(8443, first.Port);
        Assert.EndsWith("/files/demo/demo-1.0.tar.gz", first.AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_presigned_url_fetches_the_object()
    {
        using var store = moto.CreateStore();
        await store.PutAsync("files/p/p-1.0.tar.gz", Bytes("payload"), 7, BlobWriteCondition.None, default);
        using var http = new HttpClient();

        var body = await http.GetStringAsync((await store.GetReadUriAsync("files/p/p-1.0.tar.gz", default))!);

        Assert.Equal("payload", body);
    }

    [Fact]
    public async Task Virtual_hosted_style_puts_the_bucket_in_the_host_name()
    {
        using var store = moto.CreateStore(o => { o.ForcePathStyle = false; o.Bucket = "pkgs"; o.PublicEndpoint = new Uri("https://s3.example.test"); });

        var url = (await store.GetReadUriAsync("files/p/p-1.0.tar.gz", default))!;

        Assert.Equal("pkgs.s3.example.test", url.Host);
        Assert.Equal("/files/p/p-1.0.tar.gz", url.AbsolutePath);
    }

    [Fact]
    public async Task A_bucket_outside_us_east_1_is_created_with_its_location()
    {
        using var store = moto.CreateStore(o => o.Region = "eu-west-1");

        var written = await store.PutAsync("k", Bytes("eu"), 2, BlobWriteCondition.IfNotExists, default);

        Assert.True(written.Written);
        Assert.Equal("eu", await ReadAll(await store.OpenReadAsync("k", default)));
    }

    [Fact]
    public async Task Proxy_mode_gives_no_url()
    {
        using var store = moto.CreateStore(o => o.DownloadMode = S3DownloadMode.Proxy);

        Assert.Null(await store.GetReadUriAsync("files/p/p-1.0.tar.gz", default));
    }

    [Fact]
    public async Task A_streamed_multipart_upload_of_several_parts_and_a_short_last_one_reads_back_with_the_same_sha256()
    {
        // Parts of S3's smallest size, so a few tens of MiB make several parts (the memory test sends 384 MiB).
        const long partSize = 5L * 1024 * 1024;
        using var store = moto.CreateStore(o => o.PartSize = partSize);
        const long size = 4 * partSize + 1234;

        var result = await store.PutAsync("files/big/big-1.0.tar.gz", new PatternStream(size), size, BlobWriteCondition.IfNotExists, default);

        Assert.True(result.Written);
        Assert.Equal(size, (await store.StatAsync("files/big/big-1.0.tar.gz", default))!.Length);
        await using var stored = await store.OpenReadAsync("files/big/big-1.0.tar.gz", default);
        Assert.Equal(Sha256(new PatternStream(size)), Convert.ToHexStringLower(await SHA256.HashDataAsync(stored!)));
    }

    [Fact]
    public async Task An_unreachable_endpoint_is_storage_unavailable()
    {
        var port = MotoServerFixture.FreePort();
        using var store = moto.CreateStore(o => o.Endpoint = new Uri($"http://127.0.0.1:{port}"));

        var e = await Assert.ThrowsAsync<StorageUnavailableException>(() => store.StatAsync("anything", default));

        Assert.Contains($"127.0.0.1:{port}", e.Message, StringComparison.Ordinal);
        Assert.False(await new S3StorageHealthCheck(store, TimeProvider.System).CheckHealthAsync(new()) is { Status: Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy });
    }

    [Fact]
    public async Task A_bucket_the_store_lost_is_an_outage_and_made_again_by_the_next_request()
    {
        var options = moto.Options();
        using var store = moto.CreateStore(options);
        await store.PutAsync("before", Bytes("x"), 1, BlobWriteCondition.IfNotExists, default);
        await moto.Server.DeleteBucketAsync(options.Bucket);

        var e = await Assert.ThrowsAsync<StorageUnavailableException>(() => store.PutAsync("during", Bytes("y"), 1, BlobWriteCondition.IfNotExists, default));
        var again = await store.PutAsync("after", Bytes("z"), 1, BlobWriteCondition.IfNotExists, default);

        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);
        Assert.True(again.Written);
        Assert.Equal("z", await ReadAll(await store.OpenReadAsync("after", default)));
    }

    [Fact]
    public async Task The_health_check_is_healthy_once_the_bucket_exists()
    {
        using var store = moto.CreateStore();
        await store.PutAsync("x", Bytes("x"), 1, BlobWriteCondition.None, default);

        var result = await new S3StorageHealthCheck(store, TimeProvider.System).CheckHealthAsync(new());

        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, result.Status);
    }

    private static string Sha256(Stream stream) => Convert.ToHexStringLower(SHA256.HashData(stream));
}
