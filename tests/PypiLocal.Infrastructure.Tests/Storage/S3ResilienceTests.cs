using System.Text;
using PypiLocal.Core.Storage;
using PypiLocal.Infrastructure.Tests.Support;
using static PypiLocal.Infrastructure.Tests.Support.FaultInjectingHandler;

namespace PypiLocal.Infrastructure.Tests.Storage;

/// <summary>
/// What the store does when the real moto_server's answers are spoiled on the way: requests that may be sent twice
/// are retried; a conditional write is never sent again blindly, it is settled by reading the object back.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class S3ResilienceTests(MotoServerFixture moto)
{
    private static MemoryStream Bytes(string text) => new(Encoding.UTF8.GetBytes(text));

    private (Core.Storage.IBlobStore Store, FaultInjectingHandler Faults) Create(Action<Infrastructure.Storage.S3StorageOptions>? configure = null)
    {
        var faults = new FaultInjectingHandler();
        return (moto.CreateStore(moto.Options(configure), handler: faults), faults);
    }

    [Fact]
    public async Task A_read_answered_with_slow_down_is_retried()
    {
        var (store, faults) = Create();
        await store.PutAsync("k", Bytes("v"), 1, BlobWriteCondition.None, default);
        faults.Next(IsGet, Fault.SlowDown);
        faults.Next(IsGet, Fault.SlowDown);

        await using var read = await store.OpenReadAsync("k", default);

        Assert.Equal("v", await new StreamReader(read!).ReadToEndAsync());
        Assert.Equal(3, faults.Seen.Count(r => r.StartsWith("GET /", StringComparison.Ordinal) && r.EndsWith("/k", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_connection_reset_as_soon_as_it_is_made_is_storage_unavailable_not_a_bare_socket_error()
    {
        var (store, faults) = Create();
        faults.Next(IsGet, Fault.ResetOnConnect);

        await Assert.ThrowsAsync<StorageUnavailableException>(() => store.OpenReadAsync("k", default));
    }

    [Fact]
    public async Task An_unconditional_write_refused_with_slow_down_is_sent_again_whole()
    {
        var (store, faults) = Create();
        faults.Next(IsPut, Fault.SlowDown);

        var written = await store.PutAsync("k", Bytes("whole body"), 10, BlobWriteCondition.None, default);

        Assert.True(written.Written);
        await using var read = await store.OpenReadAsync("k", default);
        Assert.Equal("whole body", await new StreamReader(read!).ReadToEndAsync());
    }

    [Fact]
    public async Task A_create_whose_answer_is_lost_is_settled_by_reading_back_not_by_sending_again()
    {
        var (store, faults) = Create();
        await store.PutAsync("warm-up", Bytes("x"), 1, BlobWriteCondition.None, default);
        faults.Next(IsPut, Fault.LoseAnswer);

        var written = await store.PutAsync("k", Bytes("mine"), 4, BlobWriteCondition.IfNotExists, default);

        Assert.True(written.Written);
        Assert.Equal((await store.StatAsync("k", default))!.ETag, written.ETag);
        Assert.Equal(1, faults.Seen.Count(r => r.StartsWith("PUT ", StringComparison.Ordinal) && r.EndsWith("/k", StringComparison.Ordinal)));
        Assert.False((await store.PutAsync("k", Bytes("other"), 5, BlobWriteCondition.IfNotExists, default)).Written);
    }

    [Fact]
    public async Task A_conditional_write_refused_with_slow_down_is_read_back_then_sent_again()
    {
        var (store, faults) = Create();
        var first = await store.PutAsync("k", Bytes("one"), 3, BlobWriteCondition.None, default);
        faults.Next(IsPut, Fault.SlowDown);
        var before = faults.Seen.Count;

        var replaced = await store.PutAsync("k", Bytes("two"), 3, BlobWriteCondition.IfMatch(first.ETag!), default);

        Assert.True(replaced.Written);
        Assert.Equal(["PUT", "HEAD", "PUT"], faults.Seen.Skip(before).Select(r => r.Split(' ')[0]));
        await using var read = await store.OpenReadAsync("k", default);
        Assert.Equal("two", await new StreamReader(read!).ReadToEndAsync());
    }

    [Fact]
    public async Task A_replace_whose_answer_is_lost_after_another_writer_won_is_refused()
    {
        var (store, faults) = Create();
        var first = await store.PutAsync("k", Bytes("one"), 3, BlobWriteCondition.None, default);
        await store.PutAsync("k", Bytes("theirs"), 6, BlobWriteCondition.None, default);
        faults.Next(IsPut, Fault.LoseAnswer);

        var replaced = await store.PutAsync("k", Bytes("mine"), 4, BlobWriteCondition.IfMatch(first.ETag!), default);

        Assert.False(replaced.Written);
        await using var read = await store.OpenReadAsync("k", default);
        Assert.Equal("theirs", await new StreamReader(read!).ReadToEndAsync());
    }

    [Fact]
    public async Task A_multipart_completion_whose_answer_is_lost_is_settled_by_its_parts_etag()
    {
        var (store, faults) = Create(o => o.PartSize = 5 * 1024 * 1024);
        var size = (6 * 1024 * 1024) + 17;
        faults.Next(r => r.Method == HttpMethod.Post && r.RequestUri!.Query.Contains("uploadId=", StringComparison.Ordinal), Fault.LoseAnswer);

        var written = await store.PutAsync("big", new PatternStream(size), size, BlobWriteCondition.IfNotExists, default);

        Assert.True(written.Written);
        Assert.Equal(size, (await store.StatAsync("big", default))!.Length);
        Assert.EndsWith("-2\"", written.ETag, StringComparison.Ordinal);
    }
}
