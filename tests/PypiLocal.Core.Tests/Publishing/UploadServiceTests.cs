using PypiLocal.Core.Hashing;
using System.IO.Compression;
using System.Text;
using PypiLocal.Core.Audit;
using PypiLocal.Core.Auth;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Publishing;
using PypiLocal.Core.Tests.Support;
using PypiLocal.Protocol.Filenames;

namespace PypiLocal.Core.Tests.Publishing;

public sealed class UploadServiceTests : IDisposable
{
    private readonly UploadFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    public sealed class Storing : IDisposable
    {
        private readonly UploadFixture _fixture = new();

        public void Dispose() => _fixture.Dispose();

        [Fact]
        public async Task Stores_a_wheel_with_its_digests_metadata_and_uploader_then_invalidates_the_project()
        {
            var metadata = TestArchive.Metadata("Demo.Pkg", "1.0", requiresPython: ">=3.8");
            var bytes = TestArchive.Wheel("Demo.Pkg", "1.0", metadata);
            var before = DateTimeOffset.UtcNow;

            var outcome = await _fixture.UploadAsync(bytes, "demo_pkg-1.0-py3-none-any.whl", "Demo.Pkg", "1.0");

            Assert.Equal(UploadStatus.Created, outcome.Status);
            var added = Assert.Single(_fixture.Repository.Added);
            Assert.Equal("demo-pkg", added.File.Project);
            Assert.Equal(DistributionKind.Wheel, added.File.Kind);
            Assert.Equal(bytes.Length, added.File.Size);
            Assert.Equal(TestArchive.Sha256(bytes), added.File.Digests.Sha256);
            Assert.Equal(TestArchive.Md5(bytes), added.File.Digests.Md5);
            Assert.Equal(Convert.ToHexStringLower(FileDigester.Blake2b256(bytes)), added.File.Digests.Blake2b256);
            Assert.Equal(Encoding.UTF8.GetBytes(metadata), added.CoreMetadata);
            Assert.Equal(TestArchive.Sha256(Encoding.UTF8.GetBytes(metadata)), added.File.CoreMetadataSha256);
            Assert.Equal(">=3.8", added.File.RequiresPython);
            Assert.Equal("Demo.Pkg", added.File.DisplayName);
            Assert.Equal("alice", added.File.Uploader);
            Assert.InRange(added.File.UploadTime, before, DateTimeOffset.UtcNow);
            Assert.Equal(bytes, _fixture.Repository.BytesOf("demo-pkg", "demo_pkg-1.0-py3-none-any.whl"));
            Assert.Equal(["demo-pkg"], _fixture.Cache.Invalidated);

            var recorded = Assert.Single(await _fixture.Audit.EventsAsync());
            Assert.Equal((AuditAction.Upload, "alice", "demo_pkg-1.0-py3-none-any.whl", "1.0"), (recorded.Action, recorded.Actor.User, recorded.Filename, recorded.Version));
            Assert.Equal(added.File.Digests, recorded.Hashes);
        }

        [Fact]
        public async Task Stores_an_sdist_without_served_core_metadata()
        {
            var bytes = TestArchive.Sdist("demo", "1.0");

            var outcome = await _fixture.UploadAsync(bytes, "demo-1.0.tar.gz", "demo", "1.0");

            Assert.Equal(UploadStatus.Created, outcome.Status);
            var added = Assert.Single(_fixture.Repository.Added);
            Assert.Null(added.CoreMetadata);
            Assert.Null(added.File.CoreMetadataSha256);
        }

        [Fact]
        public async Task Records_no_uploader_when_no_login_was_needed()
        {
            await _fixture.UploadWheelAsync("demo", "1.0", user: IndexUser.Anonymous);

            Assert.Null(Assert.Single(_fixture.Repository.Added).File.Uploader);
        }

        [Fact]
        public async Task Puts_1_0_0_in_the_release_of_1_0()
        {
            await _fixture.UploadWheelAsync("demo", "1.0");
            var sdist = TestArchive.Sdist("demo", "1.0.0");

            var outcome = await _fixture.UploadAsync(sdist, "demo-1.0.0.tar.gz", "demo", "1.0.0");

            Assert.Equal(UploadStatus.Created, outcome.Status);
        }
    }

    public sealed class Duplicates : IDisposable
    {
        private readonly UploadFixture _fixture = new();

        public void Dispose() => _fixture.Dispose();

        [Fact]
        public async Task An_identical_reupload_succeeds_and_changes_nothing()
        {
            var bytes = TestArchive.Wheel("demo", "1.0");
            await _fixture.UploadAsync(bytes, "demo-1.0-py3-none-any.whl", "demo", "1.0");

            var again = await _fixture.UploadAsync(bytes, "demo-1.0-py3-none-any.whl", "demo", "1.0");

            Assert.Equal(UploadStatus.Identical, again.Status);
            Assert.Single(_fixture.Repository.Added);
            Assert.Single(await _fixture.Audit.EventsAsync());
        }

        [Fact]
        public async Task Other_bytes_under_the_same_name_conflict_with_File_already_exists()
        {
            await _fixture.UploadAsync(TestArchive.Wheel("demo", "1.0"), "demo-1.0-py3-none-any.whl", "demo", "1.0");
            var other = TestArchive.Wheel("demo", "1.0", TestArchive.Metadata("demo", "1.0") + "changed\n");

            var outcome = await _fixture.UploadAsync(other, "demo-1.0-py3-none-any.whl", "demo", "1.0");

            Assert.Equal(UploadStatus.Conflict, outcome.Status);
            Assert.StartsWith("File already exists ('demo-1.0-py3-none-any.whl', with blake2_256 hash '", outcome.Message);
            Assert.Single(_fixture.Repository.Added);
            Assert.Equal([AuditAction.Upload], (await _fixture.Audit.EventsAsync()).Select(e => e.Action));
        }

        [Fact]
        public async Task Other_bytes_replace_the_file_when_overwriting_is_on()
        {
            using var fixture = new UploadFixture(o => o.Overwrite = true);
            await fixture.UploadAsync(TestArchive.Wheel("demo", "1.0"), "demo-1.0-py3-none-any.whl", "demo", "1.0");
            var other = TestArchive.Wheel("demo", "1.0", TestArchive.Metadata("demo", "1.0") + "changed\n");

            var outcome = await fixture.UploadAsync(other, "demo-1.0-py3-none-any.whl", "demo", "1.0");

            Assert.Equal(UploadStatus.Created, outcome.Status);
            Assert.Equal(other, fixture.Repository.BytesOf("demo", "demo-1.0-py3-none-any.whl"));
            Assert.Equal([AuditAction.Upload, AuditAction.Overwrite], (await fixture.Audit.EventsAsync()).Select(e => e.Action));
        }

        [Fact]
        public async Task The_same_bytes_under_another_name_are_refused()
        {
            var bytes = TestArchive.Wheel("demo", "1.0");
            await _fixture.UploadAsync(bytes, "demo-1.0-py3-none-any.whl", "demo", "1.0");

            var outcome = await _fixture.UploadAsync(bytes, "demo-1.0-py2.py3-none-any.whl", "demo", "1.0");

            Assert.Equal(UploadStatus.Invalid, outcome.Status);
            Assert.Contains("File already exists", outcome.Message);
        }

        [Fact]
        public async Task A_second_sdist_for_a_release_is_refused()
        {
            await _fixture.UploadAsync(TestArchive.Sdist("demo", "1.0"), "demo-1.0.tar.gz", "demo", "1.0");
            var second = TestArchive.Sdist("demo", "1.0.0");

            var outcome = await _fixture.UploadAsync(second, "demo-1.0.0.tar.gz", "demo", "1.0.0");

            Assert.Equal(UploadStatus.Invalid, outcome.Status);
            Assert.Equal("Only one sdist may be uploaded per release.", outcome.Message);
        }

        [Fact]
        public async Task A_conflict_found_by_the_repository_itself_is_reported_as_a_conflict()
        {
            // Another node stored the name between our check and our write: the repository settles it.
            var bytes = TestArchive.Wheel("demo", "1.0");
            var racing = new RacingRepository();
            using var fixture = new UploadFixture();
            var service = new UploadService(racing, fixture.Cache, PypiLocal.Core.Projects.ProjectStatuses.None, fixture.Validator, fixture.Attestations, fixture.Releases, fixture.Audit.Trail, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<UploadService>.Instance);
            using var staged = await fixture.Stager.StageAsync(new MemoryStream(bytes), "demo-1.0-py3-none-any.whl", CancellationToken.None);
            var fields = UploadFixture.TwineFields("demo", "1.0", "demo-1.0-py3-none-any.whl", bytes);

            var outcome = await service.UploadAsync(new UploadForm(fields.ToDictionary(f => f.Key, f => (IReadOnlyList<string>)f.Value), staged), new IndexUser("alice", GrantSet.All), CancellationToken.None);

            Assert.Equal(UploadStatus.Conflict, outcome.Status);
            Assert.Empty(fixture.Cache.Invalidated);
        }

        private sealed class RacingRepository : IPackageRepository
        {
            private readonly InMemoryRepository _inner = new();
            public Task<IReadOnlyList<ProjectSummary>> ListProjectsAsync(CancellationToken cancellationToken) => _inner.ListProjectsAsync(cancellationToken);
            public Task<ProjectListing?> GetProjectAsync(string project, CancellationToken cancellationToken) => _inner.GetProjectAsync(project, cancellationToken);
            public ValueTask<DownloadTarget?> GetDownloadAsync(string project, string filename, DownloadPart part, CancellationToken cancellationToken) => _inner.GetDownloadAsync(project, filename, part, cancellationToken);

            public Task<byte[]?> ReadCoreMetadataAsync(string project, string filename, CancellationToken cancellationToken) => _inner.ReadCoreMetadataAsync(project, filename, cancellationToken);
            public Task<byte[]?> ReadProvenanceAsync(string project, string filename, CancellationToken cancellationToken) => _inner.ReadProvenanceAsync(project, filename, cancellationToken);
            public Task<AddOutcome> AddAsync(NewDistribution distribution, bool overwrite, CancellationToken cancellationToken) => Task.FromResult(AddOutcome.Conflict);
            public Task<bool> RemoveAsync(string project, string filename, CancellationToken cancellationToken) => _inner.RemoveAsync(project, filename, cancellationToken);
            public Task<bool> SetYankedAsync(string project, string filename, bool yanked, string? reason, CancellationToken cancellationToken) => _inner.SetYankedAsync(project, filename, yanked, reason, cancellationToken);
        }
    }

    public sealed class Permissions : IDisposable
    {
        private readonly UploadFixture _fixture = new();

        public void Dispose() => _fixture.Dispose();

        [Fact]
        public async Task A_token_for_another_project_is_refused()
        {
            var outcome = await _fixture.UploadWheelAsync("demo", "1.0", user: new IndexUser("ci", new GrantSet(AccessGrant.Parse("upload other")), IsToken: true));

            Assert.Equal(UploadStatus.Forbidden, outcome.Status);
            Assert.Contains("Token 'ci' may not upload to project 'demo'", outcome.Message);
            Assert.Empty(_fixture.Repository.Added);
        }

        [Fact]
        public async Task A_token_for_the_project_is_accepted() =>
            Assert.Equal(UploadStatus.Created, (await _fixture.UploadWheelAsync("Demo", "1.0", user: new IndexUser("ci", new GrantSet(AccessGrant.Parse("upload demo")), IsToken: true))).Status);

        [Fact]
        public async Task A_form_without_a_file_says_so()
        {
            var fields = UploadFixture.TwineFields("demo", "1.0", "demo-1.0-py3-none-any.whl", []);

            var outcome = await _fixture.Service.UploadAsync(new UploadForm(fields.ToDictionary(f => f.Key, f => (IReadOnlyList<string>)f.Value), null), new IndexUser("alice", GrantSet.All), CancellationToken.None);

            Assert.Equal(UploadStatus.Invalid, outcome.Status);
            Assert.Equal("Upload payload does not have a file.", outcome.Message);
        }
    }

    [Fact]
    public async Task Leaves_the_staged_file_for_the_caller_and_nothing_else_in_staging()
    {
        await _fixture.UploadWheelAsync("demo", "1.0");

        Assert.Empty(Directory.GetFiles(_fixture.StagingDirectory));
    }
}
