using Microsoft.Extensions.Logging;
using PypiLocal.Protocol.Filenames;

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

    /// <summary>The directory's listing, or null when it does not exist (or can no longer be read).</summary>
    public DirectoryListing? List(string directory)
    {
        try
        {
            var info = new DirectoryInfo(directory);
            if (!info.Exists)
            {
                return null;
            }

            var directoryTime = info.LastWriteTimeUtc;
            var files = new List<FolderFile>();
            var subdirectories = new List<string>();
            var now = time.GetUtcNow();
            var settling = Recent(now, directoryTime);
            foreach (var entry in info.EnumerateFileSystemInfos("*", OneLevel))
            {
                if (entry.Name.StartsWith('.'))
                {
                    continue;
                }

                if (entry is DirectoryInfo)
                {
                    subdirectories.Add(entry.FullName);
                }
                else if (entry is FileInfo file && DistributionFilename.TryParse(file.Name, out var name))
                {
                    var lastWrite = new DateTimeOffset(file.LastWriteTimeUtc);
                    settling |= Recent(now, lastWrite);
                    files.Add(new FolderFile(file.FullName, name, file.Length, lastWrite));
                }
            }

            files.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
            subdirectories.Sort(StringComparer.Ordinal);
            return new DirectoryListing(directoryTime, files, subdirectories, settling);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Cannot list {Directory}: {Reason}", directory, e.Message);
            return null;
        }
    }

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
