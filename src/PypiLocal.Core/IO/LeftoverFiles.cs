namespace PypiLocal.Core.IO;

/// <summary>
/// Files a process killed while writing leaves behind (a staged upload, a hidden partial copy, a temporary record):
/// deleted once they are older than a cutoff, since another process sharing the directory may be writing one now.
/// </summary>
internal static class LeftoverFiles
{
    /// <summary>
    /// Deletes the files in <paramref name="directory"/> (and below it when <paramref name="recursive"/>) matching
    /// <paramref name="pattern"/> and last written before <paramref name="cutoff"/>; returns the paths deleted. A file
    /// that cannot be deleted (another user's, or already gone) is left; a directory that cannot be listed throws.
    /// </summary>
    public static IReadOnlyList<string> DeleteOlderThan(string directory, string pattern, DateTime cutoff, bool recursive = false)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = recursive, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.System };
        var deleted = new List<string>();
        foreach (var path in Directory.EnumerateFiles(directory, pattern, options))
        {
            try
            {
                if (File.GetLastWriteTimeUtc(path) < cutoff)
                {
                    File.Delete(path);
                    deleted.Add(path);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Not ours to delete, or already gone.
            }
        }

        return deleted;
    }
}
