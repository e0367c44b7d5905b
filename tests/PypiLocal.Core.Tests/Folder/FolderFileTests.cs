using PypiLocal.Core.Catalog;
using PypiLocal.Core.Folder;
using PypiLocal.Protocol.Filenames;

namespace PypiLocal.Core.Tests.Folder;

/// <summary>Facts held in memory use the folder file's own strings, so each name is held once.</summary>
public sealed class FolderFileTests
{
    private static FolderFile File(string filename)
    {
        Assert.True(DistributionFilename.TryParse(filename, out var name));
        return new FolderFile("/packages/" + filename, name, 10, DateTimeOffset.UnixEpoch);
    }

    // As a record read from JSON has them: equal strings, other instances.
    private static DistributionFile ReadFacts(string project, string filename, string version, string? displayName) => new(
        new string(project), new string(filename), new string(version), DistributionKind.Wheel, 10,
        new FileDigests(new string('a', 64)), DateTimeOffset.UnixEpoch,
        DisplayName: displayName is null ? null : new string(displayName), RequiresPython: new string(">=3.8"));

    [Fact]
    public void Shares_the_names_of_facts_read_from_a_record()
    {
        var file = File("foo_bar-1.0-py3-none-any.whl");
        var read = ReadFacts("foo-bar", "foo_bar-1.0-py3-none-any.whl", "1.0", "foo-bar");

        var held = file.SharingStrings(read);

        Assert.Equal(read, held);
        Assert.Same(file.Project, held.Project);
        Assert.Same(file.Name.Filename, held.Filename);
        Assert.Same(file.Name.VersionPart, held.Version);
        Assert.Same(file.Project, held.DisplayName);
        Assert.Same(file.SharingStrings(ReadFacts("foo-bar", "foo_bar-1.0-py3-none-any.whl", "1.0", null)).RequiresPython, held.RequiresPython);
    }

    [Fact]
    public void Keeps_strings_that_differ_from_the_file()
    {
        var file = File("Foo_Bar-1.0.0-py3-none-any.whl");
        var read = ReadFacts("foo-bar", "Foo_Bar-1.0.0-py3-none-any.whl", "1.0.0", "Foo.Bar");

        var held = file.SharingStrings(read with { Version = "1.0.0+local" });

        Assert.Equal("1.0.0+local", held.Version);
        Assert.Equal("Foo.Bar", held.DisplayName);
        Assert.Same(file.Name.NamePart, file.SharingStrings(read with { DisplayName = new string("Foo_Bar") }).DisplayName);
        Assert.Null(file.SharingStrings(read with { DisplayName = null }).DisplayName);
    }
}
