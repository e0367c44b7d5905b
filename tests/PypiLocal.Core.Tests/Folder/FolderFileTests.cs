using Microsoft.Extensions.Logging.Abstractions;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Folder;
using PypiLocal.Protocol.Filenames;
using PypiLocal.Testing;

namespace PypiLocal.Core.Tests.Folder;

/// <summary>A folder file holds its directory, not its full path, and facts held in memory use its strings: each held once.</summary>
public sealed class FolderFileTests
{
    private static FolderFile File(string filename)
    {
        Assert.True(DistributionFilename.TryParse(filename, out var name));
        return new FolderFile("/packages", name, 10, DateTimeOffset.UnixEpoch);
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

    [Fact]
    public void A_listing_gives_its_files_one_directory_string_and_their_full_paths()
    {
        using var folder = new TempFolder();
        DistributionBuilder.Wheel(folder.Path, "foo", "1.0");
        DistributionBuilder.Sdist(folder.Path, "foo", "1.1");

        var files = new FolderScanner(TimeProvider.System, NullLogger<FolderScanner>.Instance).List(folder.Path + "/")!.Files;

        Assert.Equal([folder.Combine("foo-1.0-py3-none-any.whl"), folder.Combine("foo-1.1.tar.gz")], files.Select(f => f.Path));
        Assert.Same(files[0].Directory, files[1].Directory);
        Assert.Equal(folder.Path, files[0].Directory);
    }

    [Fact]
    public void Is_unchanged_only_at_the_same_place_with_the_same_stamp()
    {
        var file = File("foo-1.0-py3-none-any.whl");

        Assert.True(file.Unchanged(file with { Directory = new string("/packages") }));
        Assert.False(file.Unchanged(file with { Directory = "/elsewhere" }));
        Assert.False(file.Unchanged(file with { Size = 11 }));
        Assert.False(file.Unchanged(File("foo-1.1-py3-none-any.whl")));
    }
}
