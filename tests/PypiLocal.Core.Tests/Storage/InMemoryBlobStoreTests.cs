using System.Text;
using PypiLocal.Core.Storage;

namespace PypiLocal.Core.Tests.Storage;

public sealed class InMemoryBlobStoreTests
{
    private static MemoryStream Bytes(string text) => new(Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task Conditional_writes_behave_like_S3()
    {
        var store = new InMemoryBlobStore();

        var created = await store.PutAsync("k", Bytes("v1"), 2, BlobWriteCondition.IfNotExists, default);
        var again = await store.PutAsync("k", Bytes("v2"), 2, BlobWriteCondition.IfNotExists, default);
        var stale = await store.PutAsync("k", Bytes("v2"), 2, BlobWriteCondition.IfMatch("\"other\""), default);
        var current = await store.PutAsync("k", Bytes("v3"), 2, BlobWriteCondition.IfMatch(created.ETag!), default);
        var missing = await store.PutAsync("absent", Bytes("v1"), 2, BlobWriteCondition.IfMatch(created.ETag!), default);

        Assert.Equal((true, false, false, true, false), (created.Written, again.Written, stale.Written, current.Written, missing.Written));
        Assert.Equal("\"2a0e1eb0d1a84c0ff4bb0e4a7cd67c75\"".Length, created.ETag!.Length);
        using var reader = new StreamReader((await store.OpenReadAsync("k", default))!);
        Assert.Equal("v3", await reader.ReadToEndAsync());
        Assert.Equal(current.ETag, (await store.StatAsync("k", default))!.ETag);
    }

    [Fact]
    public async Task Lists_by_prefix_in_key_order_and_deletes_quietly()
    {
        var store = new InMemoryBlobStore();
        foreach (var key in new[] { "b/2", "a/1", "b/1" })
        {
            await store.PutAsync(key, Bytes("x"), 1, BlobWriteCondition.None, default);
        }

        await store.DeleteAsync("b/2", default);
        await store.DeleteAsync("nothing", default);

        Assert.Equal(["b/1"], await store.ListAsync("b/", default).Select(b => b.Key).ToListAsync());
        Assert.Null(await store.GetReadUriAsync("b/1", default));
    }
}
