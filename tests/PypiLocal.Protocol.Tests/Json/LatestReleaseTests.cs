using PypiLocal.Protocol.Json;
using PypiLocal.Protocol.Versions;

namespace PypiLocal.Protocol.Tests.Json;

public sealed class LatestReleaseTests
{
    // Versions with '!' suffix are yanked; the expected pick last.
    [Theory]
    [InlineData("1.0 2.0 1.5", "2.0")]
    [InlineData("1.0 2.0rc1", "1.0")]
    [InlineData("1.0 2.0.dev1", "1.0")]
    [InlineData("1.0 2.0!", "1.0")]
    [InlineData("1.0! 2.0rc1", "2.0rc1")]
    [InlineData("1.0! 2.0rc1 1.5a1", "2.0rc1")]
    [InlineData("1.0! 2.0!", "2.0")]
    [InlineData("1.0! 2.0rc1!", "2.0rc1")]
    [InlineData("1.0.post1 1.0", "1.0.post1")]
    [InlineData("1.0+local 1.0", "1.0+local")]
    [InlineData("1!0.1 9.0", "1!0.1")]
    [InlineData("3.0a1 2.0! 1.0b1", "3.0a1")]
    public void Prefers_non_yanked_then_final_then_highest(string candidates, string expected)
    {
        var items = candidates.Split(' ').Select(c => (Version: PackageVersion.Parse(c.TrimEnd('!')), Yanked: c.EndsWith('!'))).ToList();
        var picked = LatestRelease.Pick(items.Select(i => Tuple.Create(i.Version, i.Yanked)), t => t.Item1, t => t.Item2);
        Assert.Equal(expected, picked?.Item1.ToString());
    }

    [Fact]
    public void Is_null_when_there_is_nothing() =>
        Assert.Null(LatestRelease.Pick([]));

    [Fact]
    public void A_release_is_yanked_only_when_every_file_is()
    {
        var partly = SampleProject.Release10 with { Files = [SampleProject.Release10.Files[0] with { Yanked = true }, SampleProject.Release10.Files[1]] };
        Assert.False(partly.IsYanked);
        Assert.True(SampleProject.Release11Yanked.IsYanked);
        Assert.False(SampleProject.Release10 with { Files = [] } is { IsYanked: true });
        Assert.Same(SampleProject.Release10, LatestRelease.Pick(SampleProject.Project.Releases));
    }
}
