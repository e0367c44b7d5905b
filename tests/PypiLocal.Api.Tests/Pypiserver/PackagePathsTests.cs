using PypiLocal.Api.Pypiserver;

namespace PypiLocal.Api.Tests.Pypiserver;

/// <summary>How a path under <c>/packages/</c> names a file, and the folder (a project, ours) before it.</summary>
public sealed class PackagePathsTests
{
    [Theory]
    [InlineData("foo-bar/foo_bar-1.0-py3-none-any.whl", "foo-bar", "foo_bar-1.0-py3-none-any.whl")]
    [InlineData("foo_bar-1.0-py3-none-any.whl", null, "foo_bar-1.0-py3-none-any.whl")]
    [InlineData("nested/dir/foo_bar-1.0.tar.gz", "dir", "foo_bar-1.0.tar.gz")]
    [InlineData("a//b/", "a", "b")]
    [InlineData("/b", null, "b")]
    [InlineData("//", null, "")]
    [InlineData("", null, "")]
    public void The_last_segment_is_the_file_and_the_one_before_it_the_folder(string path, string? folder, string filename) =>
        Assert.Equal((folder, filename), PackagePaths.LastSegments(path));
}
