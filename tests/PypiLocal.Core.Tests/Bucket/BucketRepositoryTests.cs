using System.Security.Cryptography;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Catalog.Bucket;
using PypiLocal.Core.Storage;

namespace PypiLocal.Core.Tests.Bucket;

public static class BucketRepositoryTests
{
    private static async Task<string> Sha256Of(DownloadTarget? target)
    {
        var download = Assert.IsType<StreamDownload>(target);
        await using var stream = await download.Open(CancellationToken.None);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream));
    }

    public sealed class AddAsync : IDisposable
    {
        private readonly InMemoryBlobStore _store = new();
        private readonly TestDistributions _dists = new();

        public void Dispose() => _dists.Dispose();

        [Fact]
        public async Task Stores_the_file_its_metadata_and_its_entry()
        {
            var repository = new BucketRepository(_store);
            var wheel = _dists.Wheel("demo-pkg", "1.0", displayName: "Demo_Pkg");

            var outcome = await repository.AddAsync(wheel, overwrite: false, default);

            Assert.Equal(AddOutcome.Created, outcome);
            var listing = await repository.GetProjectAsync("demo-pkg", default);
            Assert.NotNull(listing);
            Assert.Equal("Demo_Pkg", listing.DisplayName);
            var entry = Assert.Single(listing.Files);
            Assert.Equal(wheel.File with { UploadTime = wheel.File.UploadTime.ToUniversalTime() }, entry);
            Assert.Equal(TimeSpan.Zero, entry.UploadTime.Offset);
            Assert.Equal(wheel.File.Digests.Sha256, await Sha256Of(await repository.GetDownloadAsync("demo-pkg", wheel.File.Filename, DownloadPart.File, default)));
            Assert.Equal(wheel.File.CoreMetadataSha256, await Sha256Of(await repository.GetDownloadAsync("demo-pkg", wheel.File.Filename, DownloadPart.CoreMetadata, default)));
        }

        [Fact]
        public async Task Provenance_is_kept_beside_the_file_and_served_only_while_its_entry_names_it()
        {
            var repository = new BucketRepository(_store);
            var provenance = "{\"version\":1}"u8.ToArray();
            var wheel = _dists.Wheel("demo", "1.0");
            wheel = wheel with { File = wheel.File with { ProvenanceSha256 = Convert.ToHexStringLower(SHA256.HashData(provenance)) }, Provenance = provenance };

            await repository.AddAsync(wheel, false, default);
            await repository.SetYankedAsync("demo", wheel.File.Filename, true, "broken", default);

            Assert.Equal(wheel.File.ProvenanceSha256, Assert.Single((await repository.GetProjectAsync("demo", default))!.Files).ProvenanceSha256);
            Assert.Equal(provenance, await repository.ReadProvenanceAsync("demo", wheel.File.Filename, default));
            Assert.NotNull(await _store.StatAsync(BucketKeys.Provenance("demo", wheel.File.Filename), default));

            var plain = _dists.Wheel("demo", "1.0", "other bytes");
            Assert.Equal(AddOutcome.Replaced, await repository.AddAsync(plain, overwrite: true, default));
            Assert.Null(await repository.ReadProvenanceAsync("demo", wheel.File.Filename, default));
            Assert.Null(await _store.StatAsync(BucketKeys.Provenance("demo", wheel.File.Filename), default));
        }

        [Fact]
        public async Task Removing_a_file_removes_its_provenance()
        {
            var repository = new BucketRepository(_store);
            var provenance = "{\"version\":1}"u8.ToArray();
            var wheel = _dists.Wheel("demo", "1.0");
            await repository.AddAsync(wheel with { File = wheel.File with { ProvenanceSha256 = Convert.ToHexStringLower(SHA256.HashData(provenance)) }, Provenance = provenance }, false, default);

            Assert.True(await repository.RemoveAsync("demo", wheel.File.Filename, default));

            Assert.Null(await _store.StatAsync(BucketKeys.Provenance("demo", wheel.File.Filename), default));
            Assert.Null(await repository.ReadProvenanceAsync("demo", wheel.File.Filename, default));
        }

        [Fact]
        public async Task The_same_bytes_again_are_identical_and_change_nothing()
        {
            var repository = new BucketRepository(_store);
            var wheel = _dists.Wheel("demo", "1.0");
            await repository.AddAsync(wheel, false, default);
            await repository.SetYankedAsync("demo", wheel.File.Filename, true, "broken", default);

            var outcome = await repository.AddAsync(wheel with { File = wheel.File with { UploadTime = DateTimeOffset.UnixEpoch } }, false, default);

            Assert.Equal(AddOutcome.Identical, outcome);
            var entry = Assert.Single((await repository.GetProjectAsync("demo", default))!.Files);
            Assert.True(entry.Yanked);
            Assert.NotEqual(DateTimeOffset.UnixEpoch, entry.UploadTime);
        }

        [Fact]
        public async Task Other_bytes_under_the_same_name_conflict_and_keep_the_first_file()
        {
            var repository = new BucketRepository(_store);
            var first = _dists.Wheel("demo", "1.0", "first");
            await repository.AddAsync(first, false, default);

            var outcome = await repository.AddAsync(_dists.Wheel("demo", "1.0", "second"), false, default);

            Assert.Equal(AddOutcome.Conflict, outcome);
            Assert.Equal(first.File.Digests.Sha256, Assert.Single((await repository.GetProjectAsync("demo", default))!.Files).Digests.Sha256);
            Assert.Equal(first.File.Digests.Sha256, await Sha256Of(await repository.GetDownloadAsync("demo", first.File.Filename, DownloadPart.File, default)));
        }

        [Fact]
        public async Task Other_bytes_with_overwrite_replace_the_file_and_its_entry()
        {
            var repository = new BucketRepository(_store);
            await repository.AddAsync(_dists.Wheel("demo", "1.0", "first"), false, default);
            var second = _dists.Wheel("demo", "1.0", "second");

            var outcome = await repository.AddAsync(second, overwrite: true, default);

            Assert.Equal(AddOutcome.Replaced, outcome);
            Assert.Equal(second.File.Digests.Sha256, Assert.Single((await repository.GetProjectAsync("demo", default))!.Files).Digests.Sha256);
            Assert.Equal(second.File.Digests.Sha256, await Sha256Of(await repository.GetDownloadAsync("demo", second.File.Filename, DownloadPart.File, default)));
        }

        [Fact]
        public async Task A_stored_file_without_entry_is_indexed_when_uploaded_again()
        {
            var repository = new BucketRepository(_store);
            var wheel = _dists.Wheel("demo", "1.0");
            await using (var bytes = File.OpenRead(wheel.StagedPath))
            {
                await _store.PutAsync(BucketKeys.File("demo", wheel.File.Filename), bytes, bytes.Length, BlobWriteCondition.None, default);
            }

            Assert.Equal(AddOutcome.Identical, await repository.AddAsync(wheel, false, default));
            Assert.Single((await repository.GetProjectAsync("demo", default))!.Files);
        }

        [Fact]
        public async Task Concurrent_adds_through_several_repositories_on_one_store_lose_nothing()
        {
            var repositories = Enumerable.Range(0, 3).Select(_ => new BucketRepository(_store)).ToArray();
            var wheels = Enumerable.Range(0, 30).Select(i => _dists.Wheel("busy", $"1.{i}")).ToArray();

            var outcomes = await Task.WhenAll(wheels.Select((w, i) => Task.Run(() => repositories[i % 3].AddAsync(w, false, default))));

            Assert.All(outcomes, o => Assert.Equal(AddOutcome.Created, o));
            foreach (var repository in repositories)
            {
                var listing = await repository.GetProjectAsync("busy", default);
                Assert.Equal(wheels.Select(w => w.File.Filename).Order(), listing!.Files.Select(f => f.Filename).Order());
            }
        }
    }

    public sealed class GetProjectAsync : IDisposable
    {
        private readonly TestDistributions _dists = new();

        public void Dispose() => _dists.Dispose();

        [Fact]
        public async Task Costs_one_request_for_a_project_with_1000_files()
        {
            var store = new CountingBlobStore(new InMemoryBlobStore());
            var repository = new BucketRepository(store);
            for (var i = 0; i < 1000; i++)
            {
                await repository.AddAsync(_dists.Wheel("big", $"1.0.{i}"), false, default);
            }

            store.Reset();
            var listing = await repository.GetProjectAsync("big", default);

            Assert.Equal(1000, listing!.Files.Count);
            Assert.Equal(1, store.Requests);
        }

        [Fact]
        public async Task Unknown_and_unsafe_names_are_null()
        {
            var repository = new BucketRepository(new InMemoryBlobStore());

            Assert.Null(await repository.GetProjectAsync("nothing", default));
            Assert.Null(await repository.GetProjectAsync("..", default));
            Assert.Null(await repository.GetDownloadAsync("a", "../../index/a.json", DownloadPart.File, default));
        }
    }

    public sealed class ListProjectsAsync : IDisposable
    {
        private readonly TestDistributions _dists = new();

        public void Dispose() => _dists.Dispose();

        [Fact]
        public async Task Lists_projects_with_files_in_one_request_and_leaves_out_emptied_ones()
        {
            var store = new CountingBlobStore(new InMemoryBlobStore());
            var repository = new BucketRepository(store);
            await repository.AddAsync(_dists.Wheel("alpha", "1.0"), false, default);
            var gone = _dists.Wheel("beta", "1.0");
            await repository.AddAsync(gone, false, default);
            await repository.RemoveAsync("beta", gone.File.Filename, default);

            store.Reset();
            var projects = await repository.ListProjectsAsync(default);

            Assert.Equal(["alpha"], projects.Select(p => p.Project));
            Assert.Equal(1, store.Requests);
            Assert.Null(await repository.GetProjectAsync("beta", default));
        }
    }

    public sealed class RemoveAsync : IDisposable
    {
        private readonly InMemoryBlobStore _store = new();
        private readonly TestDistributions _dists = new();

        public void Dispose() => _dists.Dispose();

        [Fact]
        public async Task Removes_the_entry_the_file_and_its_metadata()
        {
            var repository = new BucketRepository(_store);
            var keep = _dists.Wheel("demo", "1.0");
            var drop = _dists.Wheel("demo", "2.0");
            await repository.AddAsync(keep, false, default);
            await repository.AddAsync(drop, false, default);

            Assert.True(await repository.RemoveAsync("demo", drop.File.Filename, default));

            Assert.Equal([keep.File.Filename], (await repository.GetProjectAsync("demo", default))!.Files.Select(f => f.Filename));
            Assert.Null(await _store.StatAsync(BucketKeys.File("demo", drop.File.Filename), default));
            Assert.Null(await _store.StatAsync(BucketKeys.CoreMetadata("demo", drop.File.Filename), default));
            Assert.False(await repository.RemoveAsync("demo", drop.File.Filename, default));
        }

        [Fact]
        public async Task An_emptied_project_can_be_filled_again()
        {
            var repository = new BucketRepository(_store);
            var wheel = _dists.Wheel("demo", "1.0");
            await repository.AddAsync(wheel, false, default);
            await repository.RemoveAsync("demo", wheel.File.Filename, default);

            Assert.Equal(AddOutcome.Created, await repository.AddAsync(_dists.Wheel("demo", "2.0"), false, default));
            Assert.Single((await repository.GetProjectAsync("demo", default))!.Files);
        }
    }

    public sealed class SetYankedAsync : IDisposable
    {
        private readonly TestDistributions _dists = new();

        public void Dispose() => _dists.Dispose();

        [Fact]
        public async Task Yanks_with_a_reason_and_unyanks()
        {
            var repository = new BucketRepository(new InMemoryBlobStore());
            var wheel = _dists.Wheel("demo", "1.0");
            await repository.AddAsync(wheel, false, default);

            Assert.True(await repository.SetYankedAsync("demo", wheel.File.Filename, true, "security hole", default));
            var yanked = Assert.Single((await repository.GetProjectAsync("demo", default))!.Files);
            Assert.True(await repository.SetYankedAsync("demo", wheel.File.Filename, false, null, default));
            var unyanked = Assert.Single((await repository.GetProjectAsync("demo", default))!.Files);

            Assert.Equal((true, "security hole"), (yanked.Yanked, yanked.YankedReason));
            Assert.Equal((false, (string?)null), (unyanked.Yanked, unyanked.YankedReason));
            Assert.False(await repository.SetYankedAsync("demo", "missing-1.0.tar.gz", true, null, default));
        }
    }
}
