using PypiLocal.Protocol.Filenames;

namespace PypiLocal.Core.Folder;

/// <summary>A distribution file seen in a folder: where it is, and the stamp that says whether its facts are still good.</summary>
internal sealed record FolderFile(string Path, DistributionFilename Name, long Size, DateTimeOffset LastWriteTime)
{
    public bool SameStamp(FolderFile other) => Size == other.Size && LastWriteTime == other.LastWriteTime;
}
