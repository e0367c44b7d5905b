using System.Security.Cryptography;
using System.Text;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Catalog.Bucket;
using PypiLocal.Core.Storage;

namespace PypiLocal.Core.Tests.Bucket;

public static class BucketRepositoryTests
{
    /// <summary>The SHA-256 of a download's bytes: a file is streamed from this store, core metadata is sent from memory.</summary>
    private static async Task<string> Sha256Of(DownloadTarget? target)
    {
        if (target is BytesDownload held)
        {
            return Convert.ToHexStringLower(SHA256.HashData(held.Bytes));
        }

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
            Assert.StartsWith("blobs/demo-pkg/", entry.StorageKey, StringComparison.Ordinal);
            Assert.Equal(wheel.File with { UploadTime = wheel.File.UploadTime.ToUniversalTime(), StorageKey = entry.StorageKey }, entry);
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

            var entry = Assert.Single((await repository.GetProjectAsync("demo", default))!.Files);
            Assert.Equal(wheel.File.ProvenanceSha256, entry.ProvenanceSha256);
            Assert.Equal(provenance, await repository.ReadProvenanceAsync("demo", wheel.File.Filename, default));
            Assert.Equal(entry.StorageKey + BucketKeys.ProvenanceSuffix, BucketKeys.ProvenanceOf(entry));
            Assert.NotNull(await _store.StatAsync(BucketKeys.ProvenanceOf(entry), default));

            var plain = _dists.Wheel("demo", "1.0", "other bytes");
            Assert.Equal(AddOutcome.Replaced, await repository.AddAsync(plain, overwrite: true, default));
            Assert.Null(await repository.ReadProvenanceAsync("demo", wheel.File.Filename, default));
            Assert.Null(await _store.StatAsync(BucketKeys.ProvenanceOf(entry), default));
        }

        [Fact]
        public async Task Removing_a_file_removes_its_provenance()
        {
            var repository = new BucketRepository(_store);
            var provenance = "{\"version\":1}"u8.ToArray();
            var wheel = _dists.Wheel("demo", "1.0");
            await repository.AddAsync(wheel with { File = wheel.File with { ProvenanceSha256 = Convert.ToHexStringLower(SHA256.HashData(provenance)) }, Provenance = provenance }, false, default);
            var entry = Assert.Single((await repository.GetProjectAsync("demo", default))!.Files);

            Assert.True(await repository.RemoveAsync("demo", wheel.File.Filename, default));

            Assert.Null(await _store.StatAsync(BucketKeys.ProvenanceOf(entry), default));
            Assert.Null(await repository.ReadProvenanceAsync("demo", wheel.File.Filename, default));
        }

        [Fact]
        public async Task An_entry_from_before_per_upload_keys_has_its_provenance_at_the_filename_key()
        {
            var repository = new BucketRepository(_store);
            var provenance = "{\"version\":1}"u8.ToArray();
            var wheel = _dists.Wheel("demo", "1.0");
            var old = wheel.File with { ProvenanceSha256 = Convert.ToHexStringLower(SHA256.HashData(provenance)) };
            await _store.PutAsync(BucketKeys.File("demo", old.Filename), File.OpenRead(wheel.StagedPath), new FileInfo(wheel.StagedPath).Length, BlobWriteCondition.None, default);
            await _store.PutAsync(BucketKeys.Provenance("demo", old.Filename), new MemoryStream(provenance), provenance.Length, BlobWriteCondition.None, default);
            await repository.ReconcileIndexAsync("demo", [old], new HashSet<string>(), [], default);

            Assert.Null(Assert.Single((await repository.GetProjectAsync("demo", default))!.Files).StorageKey);
            Assert.Equal(provenance, await repository.ReadProvenanceAsync("demo", old.Filename, default));

            Assert.True(await repository.RemoveAsync("demo", old.Filename, default));
            Assert.Null(await _store.StatAsync(BucketKeys.Provenance("demo", old.Filename), default));
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
        public async Task Objects_left_by_interrupted_uploads_never_block_a_retry()
        {
            // A node died after writing bytes (at the old layout's key, and at an upload's own key) but before the entry.
            var repository = new BucketRepository(_store);
            var wheel = _dists.Wheel("demo", "1.0");
            var other = _dists.Wheel("demo", "1.0", content: "other bytes of a first attempt");
            foreach (var key in new[] { BucketKeys.File("demo", wheel.File.Filename), BucketKeys.NewBlob("demo", wheel.File.Filename) })
            {
                await using var bytes = File.OpenRead(other.StagedPath);
                await _store.PutAsync(key, bytes, bytes.Length, BlobWriteCondition.None, default);
            }

            Assert.Equal(AddOutcome.Created, await repository.AddAsync(wheel, false, default));

            var entry = Assert.Single((await repository.GetProjectAsync("demo", default))!.Files);
            Assert.Equal(wheel.File.Digests.Sha256, entry.Digests.Sha256);
            Assert.Equal(wheel.File.Digests.Sha256, await Sha256Of(await repository.GetDownloadAsync("demo", wheel.File.Filename, DownloadPart.File, default)));
        }

        [Fact]
        public async Task Overwrites_racing_through_several_repositories_converge_on_one_file_metadata_and_entry()
        {
            var repositories = Enumerable.Range(0, 3).Select(_ => new BucketRepository(_store)).ToArray();
            await repositories[0].AddAsync(_dists.Wheel("demo", "1.0", content: "first"), false, default);
            var versions = Enumerable.Range(0, 9).Select(i => _dists.Wheel("demo", "1.0", content: $"rebuild {i}")).ToArray();

            var outcomes = await Task.WhenAll(versions.Select((w, i) => Task.Run(() => repositories[i % 3].AddAsync(w, overwrite: true, default))));

            Assert.All(outcomes, o => Assert.Equal(AddOutcome.Replaced, o));
            var entry = Assert.Single((await repositories[1].GetProjectAsync("demo", default))!.Files);
            Assert.Equal(entry.Digests.Sha256, await Sha256Of(await repositories[2].GetDownloadAsync("demo", entry.Filename, DownloadPart.File, default)));
            Assert.Equal(entry.CoreMetadataSha256, await Sha256Of(await repositories[2].GetDownloadAsync("demo", entry.Filename, DownloadPart.CoreMetadata, default)));

            // Every replaced upload's bytes were deleted: only the winner's file and metadata are left.
            var left = new List<string>();
            await foreach (var blob in _store.ListAsync(BucketKeys.BlobsPrefix, default))
            {
                left.Add(blob.Key);
            }

            Assert.Equal([BucketKeys.FileOf(entry), BucketKeys.CoreMetadataOf(entry)], left.Order(StringComparer.Ordinal));
        }

        [Fact]
        public async Task Core_metadata_is_sent_from_memory_and_an_overwrite_elsewhere_is_never_answered_with_the_bytes_it_replaced()
        {
            var counting = new CountingBlobStore(_store);
            var (serving, overwriting) = (new BucketRepository(counting), new BucketRepository(_store));
            await serving.AddAsync(_dists.Wheel("demo", "1.0", displayName: "Demo"), false, default);
            var first = Assert.IsType<BytesDownload>(await serving.GetDownloadAsync("demo", "demo-1.0-py3-none-any.whl", DownloadPart.CoreMetadata, default));
            counting.Reset();
            var again = Assert.IsType<BytesDownload>(await serving.GetDownloadAsync("demo", "demo-1.0-py3-none-any.whl", DownloadPart.CoreMetadata, default));
            Assert.Equal(1, counting.Requests); // the index document only: the metadata itself came from memory
            Assert.Equal(first.Bytes, again.Bytes);

            var rebuilt = _dists.Wheel("demo", "1.0", content: "rebuilt", displayName: "DEMO");
            await overwriting.AddAsync(rebuilt, overwrite: true, default);
            var second = Assert.IsType<BytesDownload>(await serving.GetDownloadAsync("demo", "demo-1.0-py3-none-any.whl", DownloadPart.CoreMetadata, default));

            Assert.Contains("Name: Demo\n", Encoding.UTF8.GetString(first.Bytes));
            Assert.Equal(rebuilt.CoreMetadata, second.Bytes);
            Assert.Equal($"\"{rebuilt.File.CoreMetadataSha256}\"", second.ETag);
        }

        [Fact]
        public async Task Core_metadata_whose_bytes_are_not_the_indexed_ones_is_not_served()
        {
            var repository = new BucketRepository(_store);
            await repository.AddAsync(_dists.Wheel("demo", "1.0"), false, default);
            var entry = Assert.Single((await repository.GetProjectAsync("demo", default))!.Files);
            var foreign = "Metadata-Version: 2.1\nName: other\nVersion: 9\n"u8.ToArray();
            await _store.PutAsync(BucketKeys.CoreMetadataOf(entry), new MemoryStream(foreign), foreign.Length, BlobWriteCondition.None, default);

            Assert.Null(await repository.GetDownloadAsync("demo", entry.Filename, DownloadPart.CoreMetadata, default));
        }

        [Fact]
        public async Task Entries_from_before_per_upload_keys_are_served_from_the_filenames_key_and_can_be_removed()
        {
            var repository = new BucketRepository(_store);
            var wheel = _dists.Wheel("demo", "1.0");
            await repository.AddAsync(wheel, false, default);
            var entry = Assert.Single((await repository.GetProjectAsync("demo", default))!.Files);

            // Rewrite the bucket as an older release left it: the bytes at files/, an entry without a storage key.
            foreach (var (from, to) in new[] { (BucketKeys.FileOf(entry), BucketKeys.File("demo", entry.Filename)), (BucketKeys.CoreMetadataOf(entry), BucketKeys.CoreMetadata("demo", entry.Filename)) })
            {
                await using var bytes = (await _store.OpenReadAsync(from, default))!;
                await _store.PutAsync(to, bytes, bytes.Length, BlobWriteCondition.None, default);
                await _store.DeleteAsync(from, default);
            }

            var legacy = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new
            {
                project = "demo",
                displayName = "demo",
                files = new[] { new { project = "demo", filename = entry.Filename, version = "1.0", kind = "Wheel", size = entry.Size, digests = new { sha256 = entry.Digests.Sha256 }, uploadTime = entry.UploadTime, coreMetadataSha256 = entry.CoreMetadataSha256 } },
            });
            await _store.PutAsync(BucketKeys.Index("demo"), new MemoryStream(legacy), legacy.Length, BlobWriteCondition.None, default);

            var read = Assert.Single((await repository.GetProjectAsync("demo", default))!.Files);
            Assert.Null(read.StorageKey);
            Assert.Equal(entry.Digests.Sha256, await Sha256Of(await repository.GetDownloadAsync("demo", entry.Filename, DownloadPart.File, default)));
            Assert.Equal(entry.CoreMetadataSha256, await Sha256Of(await repository.GetDownloadAsync("demo", entry.Filename, DownloadPart.CoreMetadata, default)));
            Assert.True(await repository.RemoveAsync("demo", entry.Filename, default));
            Assert.Null(await _store.StatAsync(BucketKeys.File("demo", entry.Filename), default));
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
        public async Task Costs_one_request_for_a_project_with_hundreds_of_files()
        {
            // 300, not thousands: each add rewrites the project's index, so the set-up grows with the square of the count.
            var store = new CountingBlobStore(new InMemoryBlobStore());
            var repository = new BucketRepository(store);
            for (var i = 0; i < 300; i++)
            {
                await repository.AddAsync(_dists.Wheel("big", $"1.0.{i}"), false, default);
            }

            store.Reset();
            var listing = await repository.GetProjectAsync("big", default);

            Assert.Equal(300, listing!.Files.Count);
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
