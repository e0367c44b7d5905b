using Microsoft.Extensions.Logging.Abstractions;
using PypiLocal.Core.Audit;
using PypiLocal.Core.Auth;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Publishing;
using PypiLocal.Core.Tests.Support;
using PypiLocal.Protocol.Filenames;

namespace PypiLocal.Core.Tests.Publishing;

public sealed class PackageManagementServiceTests
{
    private static readonly IndexUser Admin = new("admin", GrantSet.All);
    private readonly InMemoryRepository _repository = new();
    private readonly RecordingPageCache _cache = new();
    private readonly TestAudit _audit = new();
    private readonly PackageManagementService _service;

    public PackageManagementServiceTests()
    {
        _service = new PackageManagementService(_repository, _cache, new ReleaseProtection(Microsoft.Extensions.Options.Options.Create(new PublishingOptions()), TimeProvider.System), _audit.Trail, NullLogger<PackageManagementService>.Instance);
        Seed("demo-1.0-py3-none-any.whl", "1.0", DistributionKind.Wheel);
        Seed("demo-1.0.tar.gz", "1.0", DistributionKind.Sdist);
        Seed("demo-2.0-py3-none-any.whl", "2.0", DistributionKind.Wheel);
    }

    private void Seed(string filename, string version, DistributionKind kind) =>
        _repository.Seed(new DistributionFile("demo", filename, version, kind, 1, new FileDigests(filename), DateTimeOffset.UnixEpoch), [1]);

    [Fact]
    public async Task Removing_a_release_removes_every_file_of_it_matched_canonically()
    {
        var outcome = await _service.RemoveReleaseAsync(Admin, "Demo", "1.0.0", CancellationToken.None);

        Assert.Equal(UploadStatus.Changed, outcome.Status);
        Assert.Equal(["demo-1.0-py3-none-any.whl", "demo-1.0.tar.gz"], outcome.Files.Select(f => f.Filename).Order());
        Assert.NotNull(_repository.FileOf("demo", "demo-2.0-py3-none-any.whl"));
        Assert.Null(_repository.FileOf("demo", "demo-1.0.tar.gz"));
        Assert.Equal(["demo"], _cache.Invalidated);
    }

    [Fact]
    public async Task Removing_one_file_leaves_the_others()
    {
        var outcome = await _service.RemoveFileAsync(Admin, "demo", "demo-1.0.tar.gz", CancellationToken.None);

        Assert.Equal(UploadStatus.Changed, outcome.Status);
        Assert.NotNull(_repository.FileOf("demo", "demo-1.0-py3-none-any.whl"));
    }

    [Fact]
    public async Task Yanking_a_release_yanks_each_file_with_the_reason_and_unyanking_clears_it()
    {
        await _service.SetReleaseYankedAsync(Admin, "demo", "1.0", true, "broken\r\nbuild", CancellationToken.None);
        var yanked = _repository.FileOf("demo", "demo-1.0.tar.gz")!;
        await _service.SetReleaseYankedAsync(Admin, "demo", "1.0", false, null, CancellationToken.None);

        Assert.True(yanked.Yanked);
        Assert.Equal("broken build", yanked.YankedReason);
        Assert.False(_repository.FileOf("demo", "demo-1.0.tar.gz")!.Yanked);
        Assert.False(_repository.FileOf("demo", "demo-2.0-py3-none-any.whl")!.Yanked);
    }

    [Fact]
    public async Task Each_file_changed_is_recorded_once_in_order_with_its_author_and_hashes()
    {
        var token = new IndexUser("ci", GrantSet.All, IsToken: true, TokenId: "0badc0de");
        await _service.SetReleaseYankedAsync(Admin, "demo", "1.0", true, "broken", CancellationToken.None);
        await _service.SetFileYankedAsync(token, "demo", "demo-1.0.tar.gz", false, null, CancellationToken.None);
        await _service.RemoveFileAsync(Admin, "demo", "demo-2.0-py3-none-any.whl", CancellationToken.None);

        var events = await _audit.EventsAsync();

        // The release's two files in the order they were yanked, then the later changes.
        Assert.Equal(["demo-1.0-py3-none-any.whl", "demo-1.0.tar.gz"], events.Take(2).Select(e => e.Filename).Order());
        Assert.Equal(
            [
                (AuditAction.Yank, "admin", "broken"),
                (AuditAction.Yank, "admin", "broken"),
                (AuditAction.Unyank, "ci", null),
                (AuditAction.Delete, "admin", null),
            ],
            events.Select(e => (e.Action, e.Actor.User, e.Detail)).ToList<(AuditAction, string, string?)>());
        Assert.Equal(["demo-1.0.tar.gz", "demo-2.0-py3-none-any.whl"], events.Skip(2).Select(e => e.Filename));
        Assert.Equal("0badc0de", events[2].Actor.TokenId);
        Assert.All(events, e => Assert.Equal(e.Filename, e.Hashes!.Sha256));
        Assert.All(events, e => Assert.Equal("demo", e.Project));
    }

    [Fact]
    public async Task A_refused_change_is_not_recorded()
    {
        await _service.RemoveReleaseAsync(new IndexUser("ci", new GrantSet([new AccessGrant(AccessRight.Admin, "other")]), true), "demo", "1.0", CancellationToken.None);
        await _service.RemoveReleaseAsync(Admin, "demo", "3.0", CancellationToken.None);

        Assert.Empty(await _audit.EventsAsync());
    }

    public static TheoryData<string, string?, string?, UploadStatus, string> Failures => new()
    {
        { "demo", "3.0", null, UploadStatus.NotFound, "demo (3.0) not found." },
        { "nothing", "1.0", null, UploadStatus.NotFound, "nothing (1.0) not found." },
        { "demo", null, "demo-9.whl", UploadStatus.NotFound, "No file 'demo-9.whl' in project 'demo'." },
        { "demo", "not a version", null, UploadStatus.Invalid, "'not a version' is not a valid PEP 440 version." },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Says_what_is_missing(string project, string? version, string? filename, UploadStatus status, string message)
    {
        var outcome = filename is null
            ? await _service.RemoveReleaseAsync(Admin, project, version!, CancellationToken.None)
            : await _service.RemoveFileAsync(Admin, project, filename, CancellationToken.None);

        Assert.Equal(status, outcome.Status);
        Assert.Equal(message, outcome.Message);
    }

    [Fact]
    public async Task A_token_for_another_project_may_not_remove()
    {
        var outcome = await _service.RemoveReleaseAsync(new IndexUser("ci", new GrantSet(AccessGrant.Parse("maintain other")), true), "demo", "1.0", CancellationToken.None);

        Assert.Equal(UploadStatus.Forbidden, outcome.Status);
        Assert.NotNull(_repository.FileOf("demo", "demo-1.0.tar.gz"));
    }
}
