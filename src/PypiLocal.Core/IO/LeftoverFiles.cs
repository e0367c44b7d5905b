namespace PypiLocal.Core.IO;

/// <summary>
/// Files a process killed while writing leaves behind (a staged upload, a hidden partial copy, a temporary record):
/// deleted once their writer is surely gone, since another process sharing the directory may be writing one now.
/// </summary>
internal static class LeftoverFiles
{
    /// <summary>
    /// Deletes the files in <paramref name="directory"/> (and below it when <paramref name="recursive"/>) matching
    /// <paramref name="pattern"/> and last written before <paramref name="cutoff"/>; returns the paths deleted. A file
    /// that cannot be deleted (another user's, or already gone) is left; a directory that cannot be listed throws.
    /// </summary>
    public static IReadOnlyList<string> DeleteOlderThan(string directory, string pattern, DateTime cutoff, bool recursive = false) =>
        Delete(directory, pattern, recursive, path => File.GetLastWriteTimeUtc(path) < cutoff);

    /// <summary>
    /// As <see cref="DeleteOlderThan"/>, and also, at any age, the files no process holds open: for files their writer
    /// keeps open until it is done with them (a <c>flock</c> on Unix, a sharing mode on Windows), which a killed
    /// process cannot. A node killed during a copy then leaves nothing behind once it starts again, rather than for the
    /// whole cutoff. (A writer between creating its file and locking it, microseconds, could lose it to this; its
    /// upload then fails and is retried, nothing half-written is kept.)
    /// </summary>
    public static IReadOnlyList<string> DeleteAbandoned(string directory, string pattern, DateTime cutoff, bool recursive = false) =>
        Delete(directory, pattern, recursive, path => File.GetLastWriteTimeUtc(path) < cutoff || NobodyHoldsOpen(path));

    private static List<string> Delete(string directory, string pattern, bool recursive, Func<string, bool> abandoned)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = recursive, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.System };
        var deleted = new List<string>();
        foreach (var path in Directory.EnumerateFiles(directory, pattern, options))
        {
            try
            {
                if (abandoned(path))
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

    // Opening with FileShare.None fails while anyone else has the file open (on Unix: holds its flock).
    private static bool NobodyHoldsOpen(string path)
    {
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
