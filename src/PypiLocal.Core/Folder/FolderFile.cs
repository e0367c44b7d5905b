using PypiLocal.Protocol.Filenames;

namespace PypiLocal.Core.Folder;

/// <summary>
/// A distribution file seen in a folder: where it is, the stamp that says whether its content facts are still
/// good, and the modification time of its upload record (null when it has none), which yanks change.
/// </summary>
internal sealed record FolderFile(string Path, DistributionFilename Name, long Size, DateTimeOffset LastWriteTime, DateTimeOffset? RecordTime = null)
{
    /// <summary>Same bytes, as far as size and modification time tell.</summary>
    public bool SameStamp(FolderFile other) => Size == other.Size && LastWriteTime == other.LastWriteTime;

    /// <summary>Nothing a page shows has changed: same bytes and the same record.</summary>
    public bool Unchanged(FolderFile other) => SameStamp(other) && RecordTime == other.RecordTime && Path == other.Path;
}
