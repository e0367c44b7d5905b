using PypiLocal.Core.Catalog;
using PypiLocal.Protocol.Filenames;
using PypiLocal.Protocol.Text;

namespace PypiLocal.Core.Folder;

/// <summary>A distribution file seen in a folder: where it is, and the stamp that says whether its facts still hold.</summary>
/// <param name="Directory">
/// The full path of its directory, without a trailing separator: one string for all the files of a listing, where a
/// full path per file would cost memory for every file of the folders.
/// </param>
internal sealed record FolderFile(string Directory, DistributionFilename Name, long Size, DateTimeOffset LastWriteTime)
{
    /// <summary>The normalized project, worked out once (the filename's is computed on each call).</summary>
    public string Project { get; } = Name.Project;

    /// <summary>The file's full path, made on each call.</summary>
    public string Path => System.IO.Path.Join(Directory, Name.Filename);

    /// <summary>Same bytes, as far as size and modification time tell.</summary>
    public bool SameStamp(FolderFile other) => Size == other.Size && LastWriteTime == other.LastWriteTime;

    /// <summary>Nothing a page shows has changed: the same bytes at the same place.</summary>
    public bool Unchanged(FolderFile other) =>
        SameStamp(other) && Directory == other.Directory && Name.Filename == other.Name.Filename;

    /// <summary>
    /// The facts with this file's own strings in place of equal copies (a record read from JSON, or a name parsed
    /// again): memory keeps the facts of every file, and then holds each name once.
    /// </summary>
    public DistributionFile SharingStrings(DistributionFile facts) => facts with
    {
        Project = SameOr(facts.Project, Project),
        Filename = SameOr(facts.Filename, Name.Filename),
        Version = SameOr(facts.Version, Name.VersionPart),
        DisplayName = facts.DisplayName is { } display ? SameOr(SameOr(display, Project), Name.NamePart) : null,
        RequiresPython = facts.RequiresPython is { } requires ? SharedText.Share(requires) : null,
    };

    private static string SameOr(string text, string candidate) => string.Equals(text, candidate, StringComparison.Ordinal) ? candidate : text;
}
