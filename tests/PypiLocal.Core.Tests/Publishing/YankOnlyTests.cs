using Microsoft.Extensions.Logging.Abstractions;
using PypiLocal.Core.Auth;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Publishing;
using PypiLocal.Core.Tests.Support;
using PypiLocal.Protocol.Filenames;

namespace PypiLocal.Core.Tests.Publishing;

/// <summary>Yank-only projects never lose a file: neither removed nor replaced, yet still yanked.</summary>
public sealed class YankOnlyTests
{
    private static readonly IndexUser Admin = new("admin", GrantSet.All);

    private static (PackageManagementService Service, InMemoryRepository Repository) Managed(params string[] yankOnly)
    {
        var options = new PublishingOptions { YankOnlyProjects = [.. yankOnly] };
        var repository = new InMemoryRepository();
        foreach (var project in new[] { "corp-lib", "demo" })
        {
            var filename = $"{project.Replace('-', '_')}-1.0-py3-none-any.whl";
            repository.Seed(new DistributionFile(project, filename, "1.0", DistributionKind.Wheel, 1, new FileDigests(filename), DateTimeOffset.UnixEpoch), [1]);
        }

        var releases = new ReleaseProtection(Microsoft.Extensions.Options.Options.Create(options), TimeProvider.System);
        return (new PackageManagementService(repository, new RecordingPageCache(), releases, new TestAudit().Trail, NullLogger<PackageManagementService>.Instance), repository);
    }

    [Fact]
    public async Task A_project_matching_a_pattern_refuses_removal_of_a_file_or_a_release_but_yanks()
    {
        var (service, repository) = Managed("Corp_*");

        var file = await service.RemoveFileAsync(Admin, "corp-lib", "corp_lib-1.0-py3-none-any.whl", CancellationToken.None);
        var release = await service.RemoveReleaseAsync(Admin, "Corp.Lib", "1.0", CancellationToken.None);
        var yank = await service.SetReleaseYankedAsync(Admin, "corp-lib", "1.0", true, "broken", CancellationToken.None);

        Assert.Equal(UploadStatus.Forbidden, file.Status);
        Assert.Equal("Project 'corp-lib' is yank-only: its files can be yanked but never deleted.", file.Message);
        Assert.Equal(UploadStatus.Forbidden, release.Status);
        Assert.Equal(UploadStatus.Changed, yank.Status);
        Assert.True(repository.FileOf("corp-lib", "corp_lib-1.0-py3-none-any.whl")!.Yanked);
        Assert.Equal(UploadStatus.Changed, (await service.RemoveFileAsync(Admin, "demo", "demo-1.0-py3-none-any.whl", CancellationToken.None)).Status);
    }

    [Fact]
    public async Task A_star_makes_the_whole_index_yank_only()
    {
        var (service, _) = Managed("*");

        var outcome = await service.RemoveReleaseAsync(Admin, "demo", "1.0", CancellationToken.None);

        Assert.Equal(UploadStatus.Forbidden, outcome.Status);
    }

    [Fact]
    public async Task Overwrite_replaces_files_only_outside_yank_only_projects()
    {
        using var fixture = new UploadFixture(o => { o.Overwrite = true; o.YankOnlyProjects = ["corp-*"]; });
        await fixture.UploadWheelAsync("corp-lib", "1.0");
        await fixture.UploadWheelAsync("demo", "1.0");
        var metadata = (string name) => TestArchive.Metadata(name, "1.0", requiresPython: ">=3.9");

        var kept = await fixture.UploadAsync(TestArchive.Wheel("corp-lib", "1.0", metadata("corp-lib")), "corp_lib-1.0-py3-none-any.whl", "corp-lib", "1.0");
        var replaced = await fixture.UploadAsync(TestArchive.Wheel("demo", "1.0", metadata("demo")), "demo-1.0-py3-none-any.whl", "demo", "1.0");

        Assert.Equal(UploadStatus.Conflict, kept.Status);
        Assert.StartsWith("File already exists", kept.Message, StringComparison.Ordinal);
        Assert.Equal(UploadStatus.Created, replaced.Status);
    }

    [Theory]
    [InlineData("corp lib")]
    [InlineData("")]
    [InlineData("-corp")]
    public void A_pattern_that_names_no_project_fails_at_start_naming_the_key(string pattern)
    {
        var result = new PublishingOptionsValidator().Validate(null, new PublishingOptions { YankOnlyProjects = [pattern] });

        Assert.True(result.Failed);
        Assert.Contains("Publishing:YankOnlyProjects", result.FailureMessage, StringComparison.Ordinal);
    }
}
