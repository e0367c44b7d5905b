namespace PypiLocal.Core.Folder;

/// <summary>The embedded backend: one or more folders of distributions, flat or nested (section <c>Storage</c>).</summary>
public sealed class FolderStorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>The folders to serve. Uploads go to the first. Empty means <c>./packages</c>.</summary>
    public List<string> Folders { get; set; } = [];

    /// <summary>How often the folders are rescanned for files added, replaced or removed by other tools.</summary>
    public TimeSpan RescanInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The folders as full paths, with the default applied.</summary>
    public IReadOnlyList<string> ResolvedFolders() =>
        (Folders.Count == 0 ? ["./packages"] : Folders).Select(Path.GetFullPath).Distinct().ToList();
}
