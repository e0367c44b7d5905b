using PypiLocal.Core.Caching;
using PypiLocal.Core.Catalog;

namespace PypiLocal.Core.Folder;

/// <summary>
/// Answers made from a folder's files (a small file's bytes, a wheel's core metadata), held in memory within a byte
/// budget, each good for as long as its file keeps the stamp (size and time) it was made from. Keyed by directory and
/// filename, so a hit makes no path.
/// </summary>
internal sealed class HeldDownloads(long maxBytes)
{
    private readonly BoundedMemory<Key, (FolderFile Stamp, BytesDownload Download)> _held = new(maxBytes, held => held.Download.Bytes.Length);

    /// <summary>The answer held for the file as it is listed now; null when there is none, or it was made from other bytes.</summary>
    public BytesDownload? Get(FolderFile file) =>
        _held.TryGet(new Key(file.Directory, file.Name.Filename), out var held) && held.Stamp.SameStamp(file) ? held.Download : null;

    public void Set(FolderFile file, BytesDownload download) => _held.Set(new Key(file.Directory, file.Name.Filename), (file, download));

    // A struct of its own rather than a tuple of two strings: a dictionary keyed by a tuple of references runs shared
    // generic code that looks its comparer up at run time under Native AOT, about 1 % of a .metadata answer's CPU.
    private readonly record struct Key(string Directory, string Filename);
}
