using PypiLocal.Core.Inspection;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Folder;
using PypiLocal.Core.Hashing;
using PypiLocal.Core.Indexing;
using PypiLocal.Protocol.Filenames;
using PypiLocal.Testing;

namespace PypiLocal.Core.Tests.Folder;

public sealed class FolderRepositoryTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly TempFolder _state = new("pypilocal-state");
    private readonly CancellationToken _ct = CancellationToken.None;

    public void Dispose()
    {
        _folder.Dispose();
        _state.Dispose();
    }

    private FolderRepository CreateRepository(params string[] extraFolders) => CreateRepository(LinkHash.Sha256, extraFolders);

    private FolderRepository CreateRepository(LinkHash linkHash, params string[] extraFolders) => new(
        Options.Create(new FolderStorageOptions { Folders = [_folder.Path, .. extraFolders], StateDirectory = _state.Path }),
        new FolderScanner(TimeProvider.System, NullLogger<FolderScanner>.Instance),
        new DistributionInspector(Options.Create(new PypiLocal.Core.Publishing.PublishingOptions())),
        TimeProvider.System,
        NullLogger<FolderRepository>.Instance,
        Options.Create(new IndexOptions { HashAlgorithm = IndexOptions.AlgorithmName(linkHash) ?? "off" }));

    public sealed class Listing : IDisposable
    {
        private readonly FolderRepositoryTests _t = new();

        public void Dispose() => _t.Dispose();

        [Fact]
        public async Task Lists_nested_distributions_by_normalized_project_and_ignores_everything_else()
        {
            var nested = Directory.CreateDirectory(_t._folder.Combine("a", "b")).FullName;
            DistributionBuilder.Wheel(nested, "Foo.Bar", "1.0");
            DistributionBuilder.Sdist(_t._folder.Path, "foo_bar", "1.1");
            await File.WriteAllTextAsync(_t._folder.Combine("notes.txt"), "x");
            await File.WriteAllTextAsync(_t._folder.Combine("old-1.0.tar.bz2"), "banned type");
            await File.WriteAllTextAsync(_t._folder.Combine(".hidden-1.0-py3-none-any.whl"), "hidden");

            var repository = _t.CreateRepository();

            Assert.Equal(["foo-bar"], (await repository.ListProjectsAsync(_t._ct)).Select(p => p.Project));
            var listing = await repository.GetProjectAsync("foo-bar", _t._ct);
            Assert.Equal(["foo_bar-1.0-py3-none-any.whl", "foo_bar-1.1.tar.gz"], listing!.Files.Select(f => f.Filename).Order());
            Assert.Null(await repository.GetProjectAsync("notes", _t._ct));
        }

        [Fact]
        public async Task Facts_hold_the_sha256_and_the_wheels_metadata_hash()
        {
            var path = DistributionBuilder.Wheel(_t._folder.Path, "pkg", "1.0", requiresPython: ">=3.9");
            var repository = _t.CreateRepository();

            var file = (await repository.GetProjectAsync("pkg", _t._ct))!.Files.Single();

            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path))), file.Digests.Sha256);
            Assert.Equal(">=3.9", file.RequiresPython);
            Assert.Equal("pkg", file.DisplayName);
            Assert.Equal(DistributionKind.Wheel, file.Kind);
            Assert.NotNull(file.CoreMetadataSha256);
        }

        [Fact]
        public async Task Facts_are_computed_once_per_path_size_and_modification_time()
        {
            var path = DistributionBuilder.Wheel(_t._folder.Path, "pkg", "1.0");
            var repository = _t.CreateRepository();
            var first = (await repository.GetProjectAsync("pkg", _t._ct))!.Files.Single();

            // Same size and modification time, other bytes: the cached facts stand (nothing re-read).
            var stamp = File.GetLastWriteTimeUtc(path);
            var bytes = await File.ReadAllBytesAsync(path);
            bytes[^1] ^= 0xFF;
            await File.WriteAllBytesAsync(path, bytes);
            File.SetLastWriteTimeUtc(path, stamp);
            repository.Rescan();
            Assert.Equal(first.Digests.Sha256, (await repository.GetProjectAsync("pkg", _t._ct))!.Files.Single().Digests.Sha256);

            // A new modification time: the facts are computed again.
            File.SetLastWriteTimeUtc(path, stamp.AddMinutes(1));
            repository.Rescan();
            Assert.NotEqual(first.Digests.Sha256, (await repository.GetProjectAsync("pkg", _t._ct))!.Files.Single().Digests.Sha256);
        }

        [Fact]
        public async Task A_corrupt_wheel_is_listed_without_core_metadata_and_does_not_break_the_page()
        {
            await File.WriteAllTextAsync(_t._folder.Combine("pkg-1.0-py3-none-any.whl"), "not a zip");
            DistributionBuilder.Wheel(_t._folder.Path, "pkg", "2.0");
            var repository = _t.CreateRepository();

            var files = (await repository.GetProjectAsync("pkg", _t._ct))!.Files;

            Assert.Equal(2, files.Count);
            Assert.Null(files.Single(f => f.Version == "1.0").CoreMetadataSha256);
            Assert.NotNull(files.Single(f => f.Version == "2.0").CoreMetadataSha256);
            Assert.Null(await repository.GetDownloadAsync("pkg", "pkg-1.0-py3-none-any.whl", DownloadPart.CoreMetadata, _t._ct));
        }

        [Fact]
        public async Task Rescan_reports_the_projects_that_changed()
        {
            var repository = _t.CreateRepository();
            var path = DistributionBuilder.Wheel(_t._folder.Path, "late", "1.0");

            Assert.Equal(["late"], repository.Rescan());
            Assert.Empty(repository.Rescan());
            File.Delete(path);
            Assert.Equal(["late"], repository.Rescan());
            Assert.Null(await repository.GetProjectAsync("late", _t._ct));
        }

        [Fact]
        public async Task A_poll_lists_only_directories_that_changed_and_finds_new_and_removed_files()
        {
            var nested = Directory.CreateDirectory(_t._folder.Combine("team")).FullName;
            var repository = _t.CreateRepository();
            var path = DistributionBuilder.Wheel(nested, "late", "1.0");

            Assert.Equal(["late"], repository.Poll());
            File.Delete(path);
            Assert.Equal(["late"], repository.Poll());
            Assert.Null(await repository.GetProjectAsync("late", _t._ct));
        }

        [Fact]
        public void Listing_again_keeps_each_unchanged_file_as_it_was_and_reads_a_changed_one_anew()
        {
            var scanner = new FolderScanner(TimeProvider.System, NullLogger<FolderScanner>.Instance);
            DistributionBuilder.Wheel(_t._folder.Path, "kept", "1.0");
            var touched = DistributionBuilder.Wheel(_t._folder.Path, "touched", "1.0");
            var first = scanner.List(_t._folder.Path)!;

            File.SetLastWriteTimeUtc(touched, DateTime.UtcNow.AddMinutes(-5));
            var second = scanner.List(_t._folder.Path, first)!;

            // The same object, so facts held for the first listing hold no second copy of its name and path.
            Assert.Same(first.Files.Single(f => f.Project == "kept"), second.Files.Single(f => f.Project == "kept"));
            var (before, after) = (first.Files.Single(f => f.Project == "touched"), second.Files.Single(f => f.Project == "touched"));
            Assert.NotSame(before, after);
            Assert.False(before.SameStamp(after));
        }

        [Fact]
        public async Task The_first_folder_wins_when_two_hold_the_same_filename()
        {
            using var second = new TempFolder();
            var first = DistributionBuilder.Wheel(_t._folder.Path, "pkg", "1.0");
            DistributionBuilder.Wheel(second.Path, "pkg", "1.0", paddingBytes: 10);
            var repository = _t.CreateRepository(second.Path);

            var file = (await repository.GetProjectAsync("pkg", _t._ct))!.Files.Single();

            Assert.Equal(new FileInfo(first).Length, file.Size);
        }
    }

    public sealed class Writing : IDisposable
    {
        private readonly FolderRepositoryTests _t = new();
        private readonly TempFolder _staging = new();

        public void Dispose()
        {
            _t.Dispose();
            _staging.Dispose();
        }

        private NewDistribution Staged(string name, string version, int padding = 0, string? folder = null)
        {
            var path = DistributionBuilder.Wheel(folder ?? _staging.Path, name, version, paddingBytes: padding);
            var bytes = File.ReadAllBytes(path);
            var file = new DistributionFile(name, Path.GetFileName(path), version, DistributionKind.Wheel, bytes.Length,
                Digests(bytes), DateTimeOffset.UnixEpoch.AddDays(20000),
                DisplayName: name, Uploader: "alice");
            return new NewDistribution(file, path, null);
        }

        private static FileDigests Digests(byte[] bytes)
        {
            using var digester = new FileDigester();
            digester.Append(bytes);
            return digester.Finish();
        }

        [Fact]
        public async Task Add_publishes_the_file_with_its_upload_facts()
        {
            var repository = _t.CreateRepository();

            Assert.Equal(AddOutcome.Created, await repository.AddAsync(Staged("pkg", "1.0"), overwrite: false, _t._ct));

            var file = (await repository.GetProjectAsync("pkg", _t._ct))!.Files.Single();
            Assert.Equal("alice", file.Uploader);
            Assert.Matches("^[0-9a-f]{32}$", file.Digests.Md5);
            Assert.Equal(DateTimeOffset.UnixEpoch.AddDays(20000), file.UploadTime);
            Assert.True(File.Exists(_t._folder.Combine("pkg-1.0-py3-none-any.whl")));
            Assert.Empty(Directory.GetFiles(_t._folder.Path, "*.partial", SearchOption.AllDirectories));
        }

        [Fact]
        public async Task The_same_bytes_again_are_identical_and_other_bytes_conflict_unless_overwriting()
        {
            var repository = _t.CreateRepository();
            var original = Staged("pkg", "1.0");
            await repository.AddAsync(original, overwrite: false, _t._ct);

            Assert.Equal(AddOutcome.Identical, await repository.AddAsync(original, overwrite: false, _t._ct));
            using var other = new TempFolder();
            var changed = Staged("pkg", "1.0", padding: 100, folder: other.Path);
            Assert.Equal(AddOutcome.Conflict, await repository.AddAsync(changed, overwrite: false, _t._ct));
            Assert.Equal(original.File.Digests.Sha256, (await repository.GetProjectAsync("pkg", _t._ct))!.Files.Single().Digests.Sha256);
            Assert.Equal(AddOutcome.Replaced, await repository.AddAsync(changed, overwrite: true, _t._ct));
            Assert.Equal(changed.File.Digests.Sha256, (await repository.GetProjectAsync("pkg", _t._ct))!.Files.Single().Digests.Sha256);
        }

        [Fact]
        public async Task Concurrent_adds_of_different_files_all_land()
        {
            var repository = _t.CreateRepository();
            var staged = Enumerable.Range(0, 20).Select(i => Staged("pkg", $"1.{i}")).ToList();

            var outcomes = await Task.WhenAll(staged.Select(s => Task.Run(() => repository.AddAsync(s, false, _t._ct))));

            Assert.All(outcomes, o => Assert.Equal(AddOutcome.Created, o));
            Assert.Equal(20, (await repository.GetProjectAsync("pkg", _t._ct))!.Files.Count);
        }

        [Fact]
        public async Task Yank_and_unyank_are_kept_in_the_state_directory_and_survive_a_restart()
        {
            var repository = _t.CreateRepository();
            await repository.AddAsync(Staged("pkg", "1.0"), false, _t._ct);
            var filename = DistributionBuilder.WheelFilename("pkg", "1.0");

            Assert.True(await repository.SetYankedAsync("pkg", filename, true, "broken", _t._ct));
            var restarted = _t.CreateRepository();
            var file = (await restarted.GetProjectAsync("pkg", _t._ct))!.Files.Single();
            Assert.True(file.Yanked);
            Assert.Equal("broken", file.YankedReason);
            Assert.Equal("alice", file.Uploader);

            Assert.True(await restarted.SetYankedAsync("pkg", filename, false, null, _t._ct));
            Assert.False((await restarted.GetProjectAsync("pkg", _t._ct))!.Files.Single().Yanked);
            Assert.False(await restarted.SetYankedAsync("pkg", "nope-1.0.tar.gz", true, null, _t._ct));
        }

        [Fact]
        public async Task Yanks_made_while_dropped_in_files_are_first_hashed_are_all_kept()
        {
            // The start queues every file for background hashing; the yanks ask for the same files at once, so
            // workers and yanks meet on the same files.
            var names = Enumerable.Range(0, 40).Select(i => $"drop{i}").ToList();
            foreach (var name in names)
            {
                DistributionBuilder.Wheel(_t._folder.Path, name, "1.0");
            }

            using var repository = _t.CreateRepository();
            repository.IndexAll();
            var yanks = await Task.WhenAll(names.Select(n => repository.SetYankedAsync(n, DistributionBuilder.WheelFilename(n, "1.0"), true, "bad", _t._ct)));

            Assert.All(yanks, Assert.True);
            foreach (var restart in new[] { false, true })
            {
                using var reading = restart ? _t.CreateRepository() : null;
                var files = await Task.WhenAll(names.Select(n => (reading ?? repository).GetProjectAsync(n, _t._ct)));
                Assert.All(files, f => Assert.Equal("bad", f!.Files.Single().YankedReason));
            }
        }

        [Fact]
        public async Task A_yank_written_by_another_process_shows_after_its_rescan_without_rehashing()
        {
            var mine = _t.CreateRepository();
            var other = _t.CreateRepository();
            await mine.AddAsync(Staged("pkg", "1.0"), false, _t._ct);
            other.Rescan();
            Assert.False((await other.GetProjectAsync("pkg", _t._ct))!.Files.Single().Yanked);

            await mine.SetYankedAsync("pkg", DistributionBuilder.WheelFilename("pkg", "1.0"), true, "bad", _t._ct);

            Assert.Equal(["pkg"], other.Poll());
            Assert.Equal("bad", (await other.GetProjectAsync("pkg", _t._ct))!.Files.Single().YankedReason);
        }

        [Fact]
        public async Task A_yank_written_in_the_same_clock_tick_as_the_last_look_still_shows()
        {
            var mine = _t.CreateRepository();
            var other = _t.CreateRepository();
            var filename = DistributionBuilder.WheelFilename("pkg", "1.0");
            await mine.AddAsync(Staged("pkg", "1.0"), false, _t._ct);
            other.Rescan();
            Assert.False((await other.GetProjectAsync("pkg", _t._ct))!.Files.Single().Yanked);
            other.Poll();
            var record = Path.Combine(_t._state.Path, "files", filename + ".json");
            var (recordTime, directoryTime) = (File.GetLastWriteTimeUtc(record), Directory.GetLastWriteTimeUtc(Path.GetDirectoryName(record)!));

            await mine.SetYankedAsync("pkg", filename, true, "bad", _t._ct);
            File.SetLastWriteTimeUtc(record, recordTime); // what a coarse file clock does to a write within one tick
            Directory.SetLastWriteTimeUtc(Path.GetDirectoryName(record)!, directoryTime);

            Assert.Contains("pkg", other.Poll());
            Assert.Equal("bad", (await other.GetProjectAsync("pkg", _t._ct))!.Files.Single().YankedReason);
        }

        [Fact]
        public async Task Files_dropped_in_get_all_three_digests()
        {
            var path = DistributionBuilder.Wheel(_t._folder.Path, "pkg", "1.0");
            var repository = _t.CreateRepository();

            var digests = (await repository.GetProjectAsync("pkg", _t._ct))!.Files.Single().Digests;

            var bytes = await File.ReadAllBytesAsync(path);
            Assert.Equal(Convert.ToHexStringLower(MD5.HashData(bytes)), digests.Md5);
            Assert.Equal(Convert.ToHexStringLower(PypiLocal.Core.Hashing.FileDigester.Blake2b256(bytes)), digests.Blake2b256);
        }

        [Fact]
        public async Task Provenance_is_kept_beside_the_file_survives_a_yank_and_a_restart_and_goes_with_it()
        {
            var repository = _t.CreateRepository();
            var provenance = "{\"version\":1}"u8.ToArray();
            var staged = Staged("pkg", "1.0");
            staged = staged with { File = staged.File with { ProvenanceSha256 = Convert.ToHexStringLower(SHA256.HashData(provenance)) }, Provenance = provenance };
            var filename = staged.File.Filename;

            await repository.AddAsync(staged, false, _t._ct);
            await repository.SetYankedAsync("pkg", filename, true, "broken", _t._ct);
            var restarted = _t.CreateRepository();

            Assert.Equal(staged.File.ProvenanceSha256, (await restarted.GetProjectAsync("pkg", _t._ct))!.Files.Single().ProvenanceSha256);
            Assert.Equal(provenance, await restarted.ReadProvenanceAsync("pkg", filename, _t._ct));
            Assert.True(await restarted.RemoveAsync("pkg", filename, _t._ct));
            Assert.Empty(Directory.GetFiles(_t._folder.Path, "*", SearchOption.AllDirectories));
        }

        [Fact]
        public async Task Provenance_changed_on_disk_or_replaced_by_a_file_without_one_is_never_served()
        {
            var repository = _t.CreateRepository();
            var provenance = "{\"version\":1}"u8.ToArray();
            var staged = Staged("pkg", "1.0");
            await repository.AddAsync(staged with { File = staged.File with { ProvenanceSha256 = Convert.ToHexStringLower(SHA256.HashData(provenance)) }, Provenance = provenance }, false, _t._ct);
            // Kept in the state directory, never in the package folder.
            Assert.Empty(Directory.GetFiles(_t._folder.Path, "*.provenance", SearchOption.AllDirectories));
            var kept = Directory.GetFiles(_t._state.Path, "*.provenance", SearchOption.AllDirectories).Single();

            await File.WriteAllTextAsync(kept, "{\"version\":1,\"forged\":true}");
            Assert.Null(await repository.ReadProvenanceAsync("pkg", staged.File.Filename, _t._ct));

            using var other = new TempFolder();
            var plain = Staged("pkg", "1.0", padding: 100, folder: other.Path);
            Assert.Equal(AddOutcome.Replaced, await repository.AddAsync(plain, overwrite: true, _t._ct));
            Assert.Null((await repository.GetProjectAsync("pkg", _t._ct))!.Files.Single().ProvenanceSha256);
            Assert.Null(await repository.ReadProvenanceAsync("pkg", staged.File.Filename, _t._ct));
            Assert.False(File.Exists(kept));
        }

        [Fact]
        public async Task Remove_deletes_the_file_and_its_record()
        {
            var repository = _t.CreateRepository();
            await repository.AddAsync(Staged("pkg", "1.0"), false, _t._ct);

            Assert.True(await repository.RemoveAsync("pkg", DistributionBuilder.WheelFilename("pkg", "1.0"), _t._ct));

            Assert.Null(await repository.GetProjectAsync("pkg", _t._ct));
            Assert.Empty(Directory.GetFiles(_t._folder.Path, "*", SearchOption.AllDirectories));
            Assert.False(await repository.RemoveAsync("pkg", DistributionBuilder.WheelFilename("pkg", "1.0"), _t._ct));
        }

        [Fact]
        public async Task Removing_a_file_dropped_in_without_a_record_succeeds()
        {
            DistributionBuilder.Wheel(_t._folder.Path, "dropped", "1.0");
            var repository = _t.CreateRepository();

            Assert.True(await repository.RemoveAsync("dropped", DistributionBuilder.WheelFilename("dropped", "1.0"), _t._ct));

            Assert.Null(await repository.GetProjectAsync("dropped", _t._ct));
        }

        [Fact]
        public async Task The_package_folder_holds_exactly_the_uploaded_files_and_nothing_else()
        {
            var repository = _t.CreateRepository();

            await repository.AddAsync(Staged("pkg", "1.0"), false, _t._ct);
            await repository.SetYankedAsync("pkg", DistributionBuilder.WheelFilename("pkg", "1.0"), true, "x", _t._ct);

            Assert.Equal(
                [DistributionBuilder.WheelFilename("pkg", "1.0")],
                Directory.EnumerateFileSystemEntries(_t._folder.Path, "*", SearchOption.AllDirectories).Select(Path.GetFileName));
        }
    }

    /// <summary>The facts live outside the package folder, survive a restart, and records of earlier versions move there once.</summary>
    public sealed class Downloads : IDisposable
    {
        private readonly FolderRepositoryTests _t = new();

        public void Dispose() => _t.Dispose();

        [Fact]
        public async Task A_small_file_is_sent_from_memory_with_its_listed_stamp_and_read_again_once_it_changes()
        {
            var path = DistributionBuilder.Wheel(_t._folder.Path, "pkg", "1.0");
            var repository = _t.CreateRepository();

            var first = Assert.IsType<BytesDownload>(await DownloadAsync(repository, "pkg-1.0-py3-none-any.whl"));
            Assert.Equal(await File.ReadAllBytesAsync(path), first.Bytes);
            Assert.Equal(File.GetLastWriteTimeUtc(path), first.LastModified.UtcDateTime);
            Assert.Same(first, await DownloadAsync(repository, "pkg-1.0-py3-none-any.whl"));

            // Replaced in place (pypiserver's --overwrite, or a copy over it): the new bytes under a new ETag once listed.
            var replaced = new byte[first.Bytes.Length + 10];
            RandomNumberGenerator.Fill(replaced);
            await File.WriteAllBytesAsync(path, replaced);
            File.SetLastWriteTimeUtc(path, first.LastModified.UtcDateTime.AddMinutes(1));
            repository.Rescan();

            var second = Assert.IsType<BytesDownload>(await DownloadAsync(repository, "pkg-1.0-py3-none-any.whl"));
            Assert.Equal(replaced, second.Bytes);
            Assert.NotEqual(first.ETag, second.ETag);
        }

        [Fact]
        public async Task A_file_that_no_longer_has_its_listed_size_is_sent_from_disk_and_not_held()
        {
            var path = DistributionBuilder.Wheel(_t._folder.Path, "pkg", "1.0");
            var repository = _t.CreateRepository();
            await repository.GetProjectAsync("pkg", _t._ct);

            // Still being copied in when it was listed: what is there now is sent as it is, from disk, every time.
            await using (var file = new FileStream(path, FileMode.Append))
            {
                file.Write(new byte[100]);
            }

            var growing = Assert.IsType<LocalFileDownload>(await DownloadAsync(repository, "pkg-1.0-py3-none-any.whl"));
            Assert.Equal(path, growing.Path);
            Assert.IsType<LocalFileDownload>(await DownloadAsync(repository, "pkg-1.0-py3-none-any.whl"));

            repository.Rescan();
            Assert.Equal(await File.ReadAllBytesAsync(path), Assert.IsType<BytesDownload>(await DownloadAsync(repository, "pkg-1.0-py3-none-any.whl")).Bytes);
        }

        [Fact]
        public async Task A_file_over_the_held_size_and_one_gone_since_listed_are_sent_from_disk()
        {
            var big = _t._folder.Combine("big-1.0-py3-none-any.whl");
            await File.WriteAllBytesAsync(big, new byte[FolderRepository.HeldFileBytes + 1]);
            var gone = DistributionBuilder.Wheel(_t._folder.Path, "gone", "1.0");
            var repository = _t.CreateRepository();
            await repository.GetProjectAsync("big", _t._ct);
            File.Delete(gone);

            Assert.Equal(big, Assert.IsType<LocalFileDownload>(await DownloadAsync(repository, "big-1.0-py3-none-any.whl", "big")).Path);
            Assert.Equal(gone, Assert.IsType<LocalFileDownload>(await DownloadAsync(repository, "gone-1.0-py3-none-any.whl", "gone")).Path);
        }

        private ValueTask<DownloadTarget?> DownloadAsync(FolderRepository repository, string filename, string project = "pkg") =>
            repository.GetDownloadAsync(project, filename, DownloadPart.File, _t._ct);
    }

    public sealed class State : IDisposable
    {
        private readonly FolderRepositoryTests _t = new();

        public void Dispose() => _t.Dispose();

        [Fact]
        public async Task A_restart_takes_the_facts_from_the_state_directory_instead_of_hashing_again()
        {
            var path = DistributionBuilder.Wheel(_t._folder.Path, "pkg", "1.0");
            var first = (await _t.CreateRepository().GetProjectAsync("pkg", _t._ct))!.Files.Single();

            // Other bytes under the same size and modification time: only a hash would notice, and none happens.
            var stamp = File.GetLastWriteTimeUtc(path);
            var bytes = await File.ReadAllBytesAsync(path);
            bytes[^1] ^= 0xFF;
            await File.WriteAllBytesAsync(path, bytes);
            File.SetLastWriteTimeUtc(path, stamp);

            var restarted = (await _t.CreateRepository().GetProjectAsync("pkg", _t._ct))!.Files.Single();

            Assert.Equal(first.Digests.Sha256, restarted.Digests.Sha256);
            Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(_t._folder.Path), e => Path.GetFileName(e).StartsWith('.'));
        }

        [Fact]
        public void A_start_deletes_the_records_a_killed_process_left_unfinished_but_not_recent_ones()
        {
            var state = _t.CreateRepository().StateDirectory;
            var records = Directory.CreateDirectory(Path.Combine(state, "files")).FullName;
            var stale = Path.Combine(records, $".pkg-1.0-py3-none-any.whl.{Guid.NewGuid():N}.tmp");
            var recent = Path.Combine(records, $".pkg-2.0-py3-none-any.whl.{Guid.NewGuid():N}.tmp");
            File.WriteAllText(stale, "{");
            File.WriteAllText(recent, "{");
            File.SetLastWriteTimeUtc(stale, DateTime.UtcNow - FolderRepository.PartialGracePeriod - TimeSpan.FromMinutes(1));

            _t.CreateRepository();

            Assert.False(File.Exists(stale));
            Assert.True(File.Exists(recent), "another process may be writing it right now");
        }

        [Fact]
        public async Task A_file_touched_but_unchanged_keeps_its_upload_facts()
        {
            var path = DistributionBuilder.Wheel(_t._folder.Path, "pkg", "1.0");
            var repository = _t.CreateRepository();
            await repository.GetProjectAsync("pkg", _t._ct);
            await repository.SetYankedAsync("pkg", Path.GetFileName(path), true, "broken", _t._ct);

            File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
            var restarted = _t.CreateRepository();

            Assert.Equal("broken", (await restarted.GetProjectAsync("pkg", _t._ct))!.Files.Single().YankedReason);
        }

        [Fact]
        public async Task Records_in_a_dot_pypilocal_folder_move_to_the_state_directory_once()
        {
            var nested = Directory.CreateDirectory(Path.Combine(_t._folder.Path, "team")).FullName;
            var path = DistributionBuilder.Wheel(nested, "pkg", "1.0");
            var sha256 = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path)));
            var legacy = Directory.CreateDirectory(Path.Combine(nested, LegacyRecordMigration.LegacyDirectoryName)).FullName;
            await File.WriteAllTextAsync(Path.Combine(legacy, Path.GetFileName(path) + ".json"), JsonSerializer.Serialize(new
            {
                sha256,
                uploadTime = "2024-05-06T07:08:09+00:00",
                uploader = "alice",
                yanked = true,
                yankedReason = "old build",
            }));

            var file = (await _t.CreateRepository().GetProjectAsync("pkg", _t._ct))!.Files.Single();

            Assert.Equal("alice", file.Uploader);
            Assert.Equal("old build", file.YankedReason);
            Assert.Equal(new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero), file.UploadTime);
            Assert.False(Directory.Exists(legacy));
        }

        [Fact]
        public async Task A_link_hash_that_records_lack_is_computed_once_and_kept()
        {
            var path = DistributionBuilder.Wheel(_t._folder.Path, "pkg", "1.0");
            await _t.CreateRepository().GetProjectAsync("pkg", _t._ct);

            var file = (await _t.CreateRepository(LinkHash.Sha512).GetProjectAsync("pkg", _t._ct))!.Files.Single();

            Assert.Equal(Convert.ToHexStringLower(SHA512.HashData(await File.ReadAllBytesAsync(path))), file.Digests.Sha512);
            var record = Directory.GetFiles(Path.Combine(_t._state.Path, "files")).Single();
            Assert.Contains(file.Digests.Sha512!, await File.ReadAllTextAsync(record), StringComparison.Ordinal);
        }

        [Fact]
        public void The_default_state_directory_is_outside_the_folder_and_stable_per_folder_set()
        {
            var options = new FolderStorageOptions { Folders = [_t._folder.Path] };

            var directory = options.ResolvedStateDirectory();

            Assert.False(directory.StartsWith(_t._folder.Path, StringComparison.Ordinal));
            Assert.Equal(directory, new FolderStorageOptions { Folders = [_t._folder.Path] }.ResolvedStateDirectory());
            Assert.NotEqual(directory, new FolderStorageOptions { Folders = [_t._folder.Path, _t._state.Path] }.ResolvedStateDirectory());
        }
    }
}
