namespace PypiLocal.Core.Folder;

/// <summary>
/// Every directory under the served folders with its last listing, so that a change costs a listing of the directory
/// it happened in, and a quiet tree costs one stat per directory. Not thread-safe: the repository serializes access.
/// </summary>
internal sealed class FolderTree(IReadOnlyList<string> roots, FolderScanner scanner)
{
    // Deeper than any real package tree; stops a symlink cycle.
    private const int MaxDepth = 32;

    private readonly Dictionary<string, (int Root, int Depth, DirectoryListing Listing)> _directories = new(StringComparer.Ordinal);

    /// <summary>Lists every directory again from the roots down.</summary>
    public void ScanAll()
    {
        var previous = _directories.ToDictionary(d => d.Key, d => d.Value.Listing, StringComparer.Ordinal);
        _directories.Clear();
        for (var i = 0; i < roots.Count; i++)
        {
            Add(roots[i], i, 0, previous);
        }
    }

    /// <summary>The directories to list again: those whose modification time moved, that appeared or vanished, or that were still settling.</summary>
    public IReadOnlyList<string> Stale()
    {
        var stale = new List<string>();
        foreach (var (directory, entry) in _directories)
        {
            if (entry.Listing.Settling || FolderScanner.LastWriteTime(directory) != entry.Listing.LastWriteTime)
            {
                stale.Add(directory);
            }
        }

        // A root that did not exist (or was removed) is watched for its return.
        stale.AddRange(roots.Where(r => !_directories.ContainsKey(r) && Directory.Exists(r)));
        return stale;
    }

    /// <summary>
    /// Lists <paramref name="directories"/> again (or their nearest tracked ancestor): new subdirectories are followed,
    /// vanished ones dropped, unchanged ones kept as they are.
    /// </summary>
    public void Refresh(IEnumerable<string> directories)
    {
        foreach (var directory in directories.Select(Tracked).OfType<string>().Distinct(StringComparer.Ordinal).ToList())
        {
            if (!_directories.TryGetValue(directory, out var entry))
            {
                Add(directory, IndexOfRoot(directory), 0);
                continue;
            }

            if (scanner.List(directory, entry.Listing) is not { } listing)
            {
                Remove(directory);
                continue;
            }

            _directories[directory] = (entry.Root, entry.Depth, listing);
            foreach (var gone in entry.Listing.Subdirectories.Except(listing.Subdirectories, StringComparer.Ordinal))
            {
                Remove(gone);
            }

            foreach (var added in listing.Subdirectories.Except(entry.Listing.Subdirectories, StringComparer.Ordinal))
            {
                Add(added, entry.Root, entry.Depth + 1);
            }
        }
    }

    /// <summary>The current files, first folder first, each folder's directories in path order.</summary>
    public IEnumerable<FolderFile> Files() =>
        _directories
            .OrderBy(d => d.Value.Root)
            .ThenBy(d => d.Key, StringComparer.Ordinal)
            .SelectMany(d => d.Value.Listing.Files);

    /// <summary>The tracked directory a path belongs to: itself, else its closest tracked ancestor, else its root.</summary>
    private string? Tracked(string path)
    {
        for (var candidate = path; !string.IsNullOrEmpty(candidate); candidate = Path.GetDirectoryName(candidate))
        {
            if (_directories.ContainsKey(candidate) || roots.Contains(candidate, StringComparer.Ordinal))
            {
                return candidate;
            }
        }

        return null;
    }

    private int IndexOfRoot(string directory)
    {
        for (var i = 0; i < roots.Count; i++)
        {
            if (string.Equals(roots[i], directory, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return roots.Count;
    }

    /// <param name="previous">The listings before a full rescan, whose unchanged files are kept as they are.</param>
    private void Add(string directory, int root, int depth, IReadOnlyDictionary<string, DirectoryListing>? previous = null)
    {
        if (depth > MaxDepth || _directories.ContainsKey(directory) || scanner.List(directory, previous?.GetValueOrDefault(directory)) is not { } listing)
        {
            return;
        }

        _directories[directory] = (root, depth, listing);
        foreach (var subdirectory in listing.Subdirectories)
        {
            Add(subdirectory, root, depth + 1, previous);
        }
    }

    private void Remove(string directory)
    {
        var prefix = directory + Path.DirectorySeparatorChar;
        foreach (var tracked in _directories.Keys.Where(d => d == directory || d.StartsWith(prefix, StringComparison.Ordinal)).ToList())
        {
            _directories.Remove(tracked);
        }
    }
}
