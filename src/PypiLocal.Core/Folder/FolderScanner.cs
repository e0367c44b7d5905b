using Microsoft.Extensions.Logging;
using PypiLocal.Protocol.Filenames;

namespace PypiLocal.Core.Folder;

/// <summary>
/// Walks the folders and builds a <see cref="FolderSnapshot"/> from names and stamps only: no file is opened,
/// so a folder of 10,000 files scans in milliseconds. Hidden entries (our own <c>.pypilocal</c> state,
/// temporary upload files) and files that are not distributions are skipped.
/// </summary>
internal sealed class FolderScanner(ILogger<FolderScanner> logger)
{
    private static readonly EnumerationOptions Walk = new()
    {
        RecurseSubdirectories = true,
        IgnoreInaccessible = true,
        AttributesToSkip = FileAttributes.Hidden | FileAttributes.System,
        ReturnSpecialDirectories = false,
    };

    public FolderSnapshot Scan(IReadOnlyList<string> folders)
    {
        var projects = new Dictionary<string, Dictionary<string, FolderFile>>(StringComparer.Ordinal);
        var records = new Dictionary<string, Dictionary<string, DateTimeOffset>>(StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            if (!Directory.Exists(folder))
            {
                continue;
            }

            foreach (var info in new DirectoryInfo(folder).EnumerateFiles("*", Walk))
            {
                if (IsHidden(folder, info.FullName) || !DistributionFilename.TryParse(info.Name, out var name))
                {
                    continue;
                }

                var files = projects.TryGetValue(name.Project, out var existing)
                    ? existing
                    : projects[name.Project] = new Dictionary<string, FolderFile>(StringComparer.Ordinal);

                // The same filename in two folders: the first folder wins, as pypiserver's order does.
                var record = RecordTimes(info.DirectoryName!, records).GetValueOrDefault(info.Name);
                if (files.TryAdd(info.Name, new FolderFile(info.FullName, name, info.Length, info.LastWriteTimeUtc, record)) is false)
                {
                    logger.LogDebug("Ignoring {Path}: {Filename} is already served from another folder", info.FullName, info.Name);
                }
            }
        }

        return new FolderSnapshot(projects);
    }

    /// <summary>The modification times of the upload records in one directory, read once per scan (one directory listing).</summary>
    private static Dictionary<string, DateTimeOffset> RecordTimes(string directory, Dictionary<string, Dictionary<string, DateTimeOffset>> cache)
    {
        if (cache.TryGetValue(directory, out var times))
        {
            return times;
        }

        times = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var state = new DirectoryInfo(Path.Combine(directory, FileRecordStore.StateDirectory));
        if (state.Exists)
        {
            foreach (var record in state.EnumerateFiles("*.json"))
            {
                times[record.Name[..^".json".Length]] = record.LastWriteTimeUtc;
            }
        }

        return cache[directory] = times;
    }

    /// <summary>True when any path segment below the folder starts with '.', e.g. <c>.pypilocal/</c> or <c>.upload-x.whl</c>.</summary>
    private static bool IsHidden(string folder, string path) =>
        Path.GetRelativePath(folder, path).Split(Path.DirectorySeparatorChar).Any(segment => segment.StartsWith('.'));
}
