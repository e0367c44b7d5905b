using System.IO.Enumeration;
using Microsoft.Extensions.Logging;
using PypiLocal.Protocol.Filenames;
using FilesByName = System.Collections.Generic.Dictionary<string, PypiLocal.Core.Folder.FolderFile>.AlternateLookup<System.ReadOnlySpan<char>>;

namespace PypiLocal.Core.Folder;

/// <summary>
/// Lists one directory from names and stamps only: no file is opened, so even a directory of 10,000 files lists in
/// milliseconds. Hidden entries (temporary upload files, dot folders) and files that are not distributions are skipped.
/// </summary>
internal sealed class FolderScanner(TimeProvider time, ILogger<FolderScanner> logger)
{
    /// <summary>Changes younger than this may still be under way (a copy in progress, a second change in the same clock tick).</summary>
    public static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(2);

    private static readonly EnumerationOptions OneLevel = new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = true,
        AttributesToSkip = FileAttributes.Hidden | FileAttributes.System,
        ReturnSpecialDirectories = false,
    };

    /// <summary>
    /// The directory's listing, or null when it does not exist (or can no longer be read). A file that
    /// <paramref name="previous"/> listed with the same name, size and time is the same <see cref="FolderFile"/>: its
    /// name is not parsed again, and what holds on to the earlier listing (the facts in memory) holds no second copy.
    /// </summary>
    public DirectoryListing? List(string directory, DirectoryListing? previous = null)
    {
        try
        {
            var info = new DirectoryInfo(directory);
            if (!info.Exists)
            {
                return null;
            }

            var directoryTime = info.LastWriteTimeUtc;
            // As FileSystemEntry.ToFullPath joins it: full, without a trailing separator.
            var fullDirectory = Path.TrimEndingDirectorySeparator(info.FullName);
            var files = new List<FolderFile>();
            var subdirectories = new List<string>();
            var now = time.GetUtcNow();
            var settling = Recent(now, directoryTime);
            var earlier = ByName(previous?.Files);
            foreach (var entry in Entries(directory, fullDirectory, earlier))
            {
                if (entry.File is { } file)
                {
                    settling |= Recent(now, file.LastWriteTime);
                    files.Add(file);
                }
                else if (entry.Subdirectory is { } subdirectory)
                {
                    subdirectories.Add(subdirectory);
                }
            }

            files.Sort((a, b) => string.CompareOrdinal(a.Name.Filename, b.Name.Filename));
            subdirectories.Sort(StringComparer.Ordinal);
            return new DirectoryListing(directoryTime, files, subdirectories, settling);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Cannot list {Directory}: {Reason}", directory, e.Message);
            return null;
        }
    }

    // Read straight from the directory entries: no FileInfo per file, one stat for its size and time, and no full path
    // per file, only the directory's, shared (a start lists 10,000 files before it serves its first page).
    private static FileSystemEnumerable<ListedEntry> Entries(string directory, string fullDirectory, FilesByName? earlier) =>
        new(directory, (ref FileSystemEntry entry) => entry.IsDirectory
            ? new ListedEntry(entry.ToFullPath(), null)
            : new ListedEntry(null, FileOf(ref entry, fullDirectory, earlier)), OneLevel)
        {
            ShouldIncludePredicate = static (ref FileSystemEntry entry) => !entry.FileName.StartsWith('.'),
        };

    // The earlier listing's file when name, size and time are the same; else the name parsed, or null for a file that
    // is not a distribution.
    private static FolderFile? FileOf(ref FileSystemEntry entry, string fullDirectory, FilesByName? earlier)
    {
        if (earlier is { } known && known.TryGetValue(entry.FileName, out var same) && same.Size == entry.Length && same.LastWriteTime == entry.LastWriteTimeUtc)
        {
            return same;
        }

        return DistributionFilename.TryParse(entry.FileName.ToString(), out var name)
            ? new FolderFile(fullDirectory, name, entry.Length, entry.LastWriteTimeUtc)
            : null;
    }

    private static FilesByName? ByName(IReadOnlyList<FolderFile>? files)
    {
        if (files is null)
        {
            return null;
        }

        var byName = new Dictionary<string, FolderFile>(files.Count, StringComparer.Ordinal);
        foreach (var file in files)
        {
            byName[file.Name.Filename] = file;
        }

        return byName.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    // A subdirectory, a distribution, or neither (another kind of file: skipped).
    private readonly record struct ListedEntry(string? Subdirectory, FolderFile? File);

    // A time in the future (clock skew, an archive's timestamps) is not "being written": it would keep the directory
    // listed again every second for as long as the skew lasts.
    private static bool Recent(DateTimeOffset now, DateTimeOffset time) => time <= now && now - time < SettleTime;

    /// <summary>The directory's modification time, or null when it is gone: the one stat a quiet directory costs.</summary>
    public static DateTime? LastWriteTime(string directory)
    {
        try
        {
            var info = new DirectoryInfo(directory);
            return info.Exists ? info.LastWriteTimeUtc : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
