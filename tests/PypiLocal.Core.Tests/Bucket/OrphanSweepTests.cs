using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Catalog.Bucket;
using PypiLocal.Core.Maintenance;
using PypiLocal.Core.Storage;

namespace PypiLocal.Core.Tests.Bucket;

public sealed class OrphanSweepTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
    private readonly TestDistributions _dists = new();

    public void Dispose() => _dists.Dispose();

    [Fact]
    public async Task Deletes_only_unreferenced_upload_objects_older_than_the_grace_period()
    {
        var store = new InMemoryBlobStore(_time);
        var repository = new BucketRepository(store);
        var sweep = new OrphanSweep(store, repository, _time, NullLogger<OrphanSweep>.Instance);
        var kept = _dists.Wheel("demo", "1.0");
        byte[] provenance = [9];
        await repository.AddAsync(kept with { File = kept.File with { ProvenanceSha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(provenance)) }, Provenance = provenance }, false, default);
        var oldOrphan = BucketKeys.NewBlob("demo", "demo-2.0-py3-none-any.whl");
        await store.PutAsync(oldOrphan, new MemoryStream([1, 2, 3]), 3, BlobWriteCondition.None, default);
        await store.PutAsync(oldOrphan + BucketKeys.ProvenanceSuffix, new MemoryStream([5]), 1, BlobWriteCondition.None, default);
        await store.PutAsync(BucketKeys.File("demo", "copied-in-later.whl"), new MemoryStream([1]), 1, BlobWriteCondition.None, default);
        _time.Advance(TimeSpan.FromHours(2));
        var youngOrphan = BucketKeys.NewBlob("demo", "demo-3.0-py3-none-any.whl");
        await store.PutAsync(youngOrphan, new MemoryStream([4]), 1, BlobWriteCondition.None, default);

        var deleted = await sweep.SweepAsync(TimeSpan.FromHours(1), default);

        Assert.Equal(2, deleted);
        Assert.Null(await store.StatAsync(oldOrphan, default));
        Assert.Null(await store.StatAsync(oldOrphan + BucketKeys.ProvenanceSuffix, default));
        Assert.NotNull(await store.StatAsync(youngOrphan, default));
        Assert.NotNull(await store.StatAsync(BucketKeys.File("demo", "copied-in-later.whl"), default));
        var entry = Assert.Single((await repository.GetProjectAsync("demo", default))!.Files);
        Assert.NotNull(await store.StatAsync(BucketKeys.FileOf(entry), default));
        Assert.NotNull(await store.StatAsync(BucketKeys.CoreMetadataOf(entry), default));
        Assert.NotNull(await store.StatAsync(BucketKeys.ProvenanceOf(entry), default));
    }
}
