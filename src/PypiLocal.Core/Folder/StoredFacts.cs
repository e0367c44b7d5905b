using PypiLocal.Core.Catalog;

namespace PypiLocal.Core.Folder;

/// <summary>
/// What the state directory keeps per distribution file: its facts, and the stamp (size, modification time) of the
/// bytes they were computed from. A file whose stamp differs is hashed again; its upload facts (time, uploader,
/// yank) carry over when the bytes turn out the same.
/// </summary>
/// <param name="Size">Size in bytes of the file the facts describe; -1 for a record migrated without a stamp.</param>
/// <param name="LastWriteTicks">Its modification time in UTC ticks.</param>
/// <param name="File">The facts.</param>
internal sealed record StoredFacts(long Size, long LastWriteTicks, DistributionFile File)
{
    public static StoredFacts For(FolderFile stamp, DistributionFile file) => new(stamp.Size, stamp.LastWriteTime.UtcTicks, file);

    /// <summary>True when the facts were computed from the bytes <paramref name="file"/> has now.</summary>
    public bool Describes(FolderFile file) => Size == file.Size && LastWriteTicks == file.LastWriteTime.UtcTicks;
}
