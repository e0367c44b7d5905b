using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.Publishing;

/// <summary>
/// Closed releases and yank-only projects as a user meets them: twine's refusal, the command line's answer. The
/// server closes releases after 14 days and keeps every file of <c>kept-*</c> (see <see cref="PublishingServer"/>).
/// </summary>
public sealed class ReleaseProtectionTests(PublishingServer server) : IClassFixture<PublishingServer>
{
    private string Build(string folder) => Directory.CreateDirectory(Path.Combine(server.Dist, folder)).FullName;

    [Fact]
    public async Task Twine_cannot_add_a_file_to_a_release_first_published_15_days_ago_but_publishes_the_next_release()
    {
        // A release published 15 days ago, copied into the folder as it was: a folder file's upload time is its date.
        var dist = Build("closed");
        var built = DistributionBuilder.Wheel(dist, "closed-demo", "1.0");
        var old = Path.Combine(server.Packages, Path.GetFileName(built));
        File.Copy(built, old);
        File.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddDays(-15));
        Assert.True(await Eventually.TrueAsync(async () => (await server.ListedFilesAsync("closed-demo")).Count == 1, TimeSpan.FromSeconds(10)));
        var sdist = DistributionBuilder.Sdist(dist, "closed-demo", "1.0");
        var next = DistributionBuilder.Wheel(dist, "closed-demo", "1.1");

        var refused = await server.TwineAsync(PublishingServer.User, PublishingServer.Password, sdist);
        var accepted = await server.TwineAsync(PublishingServer.User, PublishingServer.Password, next);

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("400", PublishingServer.Flat(refused));
        Assert.Contains("Uploading new files to releases older than 14 days is not allowed.", PublishingServer.Flat(refused));
        accepted.EnsureSuccess("twine upload of the next release");
        Assert.Equal(["closed_demo-1.0-py3-none-any.whl", "closed_demo-1.1-py3-none-any.whl"], (await server.ListedFilesAsync("closed-demo")).Keys.Order());
        Assert.DoesNotContain(Path.GetFileName(sdist), await server.StoredNamesAsync());
    }

    [Fact]
    public async Task A_yank_only_project_refuses_removal_with_its_reason_and_still_yanks()
    {
        var wheel = DistributionBuilder.Wheel(Build("kept"), "kept-lib", "1.0");
        (await server.TwineAsync(PublishingServer.User, PublishingServer.Password, wheel)).EnsureSuccess("twine upload");
        string[] login = ["--url", server.Server.BaseUrl, "-u", PublishingServer.User, "-p", PublishingServer.Password];

        var remove = await server.CliAsync(["remove", "kept-lib", "1.0", .. login]);
        var yank = await server.CliAsync(["yank", "kept-lib", "1.0", "--reason", "superseded", .. login]);

        Assert.NotEqual(0, remove.ExitCode);
        Assert.Contains("403 Project 'kept-lib' is yank-only: its files can be yanked but never deleted.", remove.Output);
        yank.EnsureSuccess("pypilocal yank --url");
        Assert.Equal("superseded", (await server.ListedFilesAsync("kept-lib"))[Path.GetFileName(wheel)].GetString());
        Assert.Contains(Path.GetFileName(wheel), await server.StoredNamesAsync());
    }
}
