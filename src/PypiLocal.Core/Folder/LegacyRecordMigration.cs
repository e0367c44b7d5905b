using System.Text.Json;
using Microsoft.Extensions.Logging;
using PypiLocal.Core.Catalog;
using PypiLocal.Protocol.Filenames;

namespace PypiLocal.Core.Folder;

/// <summary>
/// Moves the upload records earlier versions wrote into <c>.pypilocal/</c> folders inside the package folders into the
/// state directory, once, then removes those folders. The records carry no stamp, so each file is hashed once more;
/// its upload time, uploader and yank carry over when the bytes are those the record describes.
/// </summary>
internal static class LegacyRecordMigration
{
    public const string LegacyDirectoryName = ".pypilocal";

    public static void Run(IReadOnlyList<string> folders, FolderStateDirectory state, ILogger logger)
    {
        if (state.HasMigratedLegacyRecords)
        {
            return;
        }

        var walk = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 };
        var migrated = 0;
        foreach (var directory in folders.Where(Directory.Exists).SelectMany(f => Directory.EnumerateDirectories(f, LegacyDirectoryName, walk)).ToList())
        {
            foreach (var path in Directory.EnumerateFiles(directory, "*.json"))
            {
                var filename = Path.GetFileName(path)[..^".json".Length];
                if (DistributionFilename.TryParse(filename, out var name) && state.Read(filename) is null && TryRead(path) is { } record)
                {
                    state.Write(filename, new StoredFacts(-1, 0, new DistributionFile(
                        name.Project, filename, name.Version.ToString(), name.Kind, 0,
                        new FileDigests(record.Sha256, record.Md5, record.Blake2b256), record.UploadTime,
                        DisplayName: record.DisplayName, Yanked: record.Yanked, YankedReason: record.YankedReason, Uploader: record.Uploader)));
                    migrated++;
                }
            }

            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning("Migrated the records of {Directory} but could not remove it: {Reason}", directory, e.Message);
            }
        }

        state.MarkLegacyRecordsMigrated();
        if (migrated > 0)
        {
            logger.LogInformation("Moved {Count} upload records from .pypilocal folders into {State}", migrated, state.Root);
        }
    }

    private static FileRecord? TryRead(string path)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), FolderStateJsonContext.Default.FileRecord);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }
}
