using System.Security.Cryptography;
using System.Text;

namespace PypiLocal.Core.Folder;

/// <summary>The embedded backend: one or more folders of distributions, flat or nested (section <c>Storage</c>).</summary>
public sealed class FolderStorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>The folders to serve. Uploads go to the first. Empty means <c>./packages</c>.</summary>
    public List<string> Folders { get; set; } = [];

    /// <summary>
    /// Where the facts about the files (hashes, metadata hash, upload time, uploader, yank) are kept, outside the
    /// package folders. Empty: <c>&lt;user data dir&gt;/pypilocal/folders/&lt;key of the folder set&gt;</c>.
    /// </summary>
    public string? StateDirectory { get; set; }

    /// <summary>How often the folders' directories are looked at (one stat each) for files added or removed by other tools.</summary>
    public TimeSpan RescanInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often every file is looked at again, for changes no directory shows (a file rewritten in place on a share without events).</summary>
    public TimeSpan FullRescanInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Use file-system events (inotify) besides the poll, so changes show at once; off for file systems that misreport them.</summary>
    public bool WatchEvents { get; set; } = true;

    /// <summary>The folders as full paths, with the default applied.</summary>
    public IReadOnlyList<string> ResolvedFolders() =>
        (Folders.Count == 0 ? ["./packages"] : Folders).Select(Path.GetFullPath).Distinct().ToList();

    /// <summary>
    /// The state directory: the configured one, else one per folder set under the user's data directory
    /// ($XDG_DATA_HOME or ~/.local/share on Linux, %LOCALAPPDATA% on Windows), named by the folders' paths.
    /// </summary>
    public string ResolvedStateDirectory()
    {
        if (!string.IsNullOrWhiteSpace(StateDirectory))
        {
            return Path.GetFullPath(StateDirectory);
        }

        var folders = ResolvedFolders();
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', folders))))[..16];
        var data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        if (string.IsNullOrEmpty(data))
        {
            data = Path.Combine(Path.GetTempPath(), "pypilocal-" + Environment.UserName);
        }

        return Path.Combine(data, "pypilocal", "folders", $"{Path.GetFileName(folders[0].TrimEnd(Path.DirectorySeparatorChar))}-{key}");
    }
}
