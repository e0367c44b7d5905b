using System.Text;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Storage;

namespace PypiLocal.Core.Tests.Storage;

public sealed class FolderBlobStoreTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("pypilocal-blobs-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static MemoryStream Bytes(string text) => new(Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task A_create_only_write_keeps_the_first_copy()
    {
        var store = new FolderBlobStore(_root);

        var first = await store.PutAsync("files/a/x.whl", Bytes("one"), 3, BlobWriteCondition.IfNotExists, default);
        var second = await store.PutAsync("files/a/x.whl", Bytes("two"), 3, BlobWriteCondition.IfNotExists, default);

        Assert.True(first.Written);
        Assert.False(second.Written);
        await using var read = await store.OpenReadAsync("files/a/x.whl", default);
        Assert.Equal("one", await new StreamReader(read!).ReadToEndAsync());
        Assert.Empty(Directory.GetFiles(Path.Combine(_root, "files", "a"), ".*"));
    }

    [Fact]
    public async Task A_replace_never_happens_while_another_process_holds_the_record_s_lock()
    {
        var store = new FolderBlobStore(_root);
        await store.PutAsync("auth/users/dave.json", Bytes("first"), 5, BlobWriteCondition.None, CancellationToken.None);
        var seen = (await store.ReadVersionAsync("auth/users/dave.json", CancellationToken.None))!;

        // Another process (the command line, with its own in-process lock) holds the file lock past the wait a replace allows.
        await using (new FileStream(Path.Combine(_root, "auth", "users", ".dave.json.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            await Assert.ThrowsAnyAsync<IOException>(() => store.PutAsync("auth/users/dave.json", Bytes("second"), 6, BlobWriteCondition.IfMatch(seen.ETag), CancellationToken.None));
        }

        Assert.Equal("first", await File.ReadAllTextAsync(Path.Combine(_root, "auth", "users", "dave.json")));
        Assert.True((await store.PutAsync("auth/users/dave.json", Bytes("second"), 6, BlobWriteCondition.IfMatch(seen.ETag), CancellationToken.None)).Written);
        Assert.DoesNotContain(store.ListAsync("auth/", CancellationToken.None).ToBlockingEnumerable(), b => b.Key.EndsWith(".lock", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Listing_by_prefix_skips_temporary_files_and_deleting_a_missing_key_is_fine()
    {
        var store = new FolderBlobStore(_root);
        await store.PutAsync("index/a.json", Bytes("{}"), 2, BlobWriteCondition.None, default);
        await store.PutAsync("files/a/x.whl", Bytes("x"), 1, BlobWriteCondition.None, default);
        await File.WriteAllTextAsync(Path.Combine(_root, "index", ".b.json.tmp"), "partial");

        var keys = new List<string>();
        await foreach (var blob in store.ListAsync("index/", default))
        {
            keys.Add(blob.Key);
        }

        Assert.Equal(["index/a.json"], keys);
        await store.DeleteAsync("index/missing.json", default);
        Assert.Null(await store.StatAsync("index/missing.json", default));
    }

    [Fact]
    public async Task A_download_of_a_kept_object_is_its_file_on_disk_with_the_objects_facts()
    {
        var store = new FolderBlobStore(_root);
        await store.PutAsync("files/a/x.whl", Bytes("wheel"), 5, BlobWriteCondition.IfNotExists, default);
        var info = await store.StatAsync("files/a/x.whl", default);

        var target = await BlobDownload.TargetAsync(store, "files/a/x.whl", default);

        var file = Assert.IsType<LocalFileDownload>(target);
        Assert.Equal(Path.Combine(_root, "files", "a", "x.whl"), file.Path);
        Assert.Equal((info!.Length, info.LastModified, info.ETag), (file.Length, file.LastModified, file.ETag));
        Assert.Null(await BlobDownload.TargetAsync(store, "files/a/missing.whl", default));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("files//x")]
    [InlineData("files/.hidden")]
    public async Task Keys_that_could_leave_the_root_are_refused(string key) =>
        await Assert.ThrowsAsync<ArgumentException>(() => new FolderBlobStore(_root).StatAsync(key, default));
}
