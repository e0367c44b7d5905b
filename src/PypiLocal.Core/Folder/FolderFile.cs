using PypiLocal.Protocol.Filenames;

namespace PypiLocal.Core.Folder;

/// <summary>A distribution file seen in a folder: where it is, and the stamp that says whether its facts still hold.</summary>
internal sealed record FolderFile(string Path, DistributionFilename Name, long Size, DateTimeOffset LastWriteTime)
{
    /// <summary>The normalized project, worked out once (the filename's is computed on each call).</summary>
    public string Project { get; } = Name.Project;

    /// <summary>Same bytes, as far as size and modification time tell.</summary>
    public bool SameStamp(FolderFile other) => Size == other.Size && LastWriteTime == other.LastWriteTime;

    /// <summary>Nothing a page shows has changed: the same bytes at the same place.</summary>
    public bool Unchanged(FolderFile other) => SameStamp(other) && Path == other.Path;
}
