using System.Collections.Concurrent;

namespace PypiLocal.Core.Folder;

/// <summary>
/// Core metadata files (PEP 658) read from wheels, kept within a byte budget: without it every <c>.metadata</c>
/// request opens the archive, reads its directory and inflates the member, several times the cost of sending
/// it. Keyed by path and checked against the file's stamp, so a replaced wheel is read again. When the budget is
/// full it starts over, so a hit costs one lookup and no bookkeeping.
/// </summary>
internal sealed class CoreMetadataCache(long maxBytes)
{
    /// <summary>Enough for the metadata of a few thousand typical wheels.</summary>
    public const long DefaultMaxBytes = 4 << 20;

    private readonly ConcurrentDictionary<string, (FolderFile Stamp, byte[] Bytes)> _entries = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _bytes;

    public byte[]? Find(FolderFile file) =>
        _entries.TryGetValue(file.Path, out var entry) && entry.Stamp.SameStamp(file) ? entry.Bytes : null;

    public void Add(FolderFile file, byte[] bytes)
    {
        if (bytes.Length > maxBytes)
        {
            return;
        }

        lock (_gate)
        {
            if (_bytes + bytes.Length > maxBytes)
            {
                _entries.Clear();
                _bytes = 0;
            }

            if (_entries.TryGetValue(file.Path, out var old))
            {
                _bytes -= old.Bytes.Length;
            }

            _entries[file.Path] = (file, bytes);
            _bytes += bytes.Length;
        }
    }
}
