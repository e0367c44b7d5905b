namespace PypiLocal.Core.Folder;

/// <summary>
/// The files of the folders at one moment, by project and filename. Never changed once built, so readers never see a
/// half-done change; a change builds a new one and swaps it in. Plain dictionaries: a snapshot is rebuilt on every change,
/// and freezing 2,000 of them cost more than all the lookups it would save.
/// </summary>
internal sealed class FolderSnapshot
{
    public static readonly FolderSnapshot Empty = new([]);

    /// <summary>Builds the snapshot from files in precedence order: the first of two files with one filename wins, as in pypiserver.</summary>
    public FolderSnapshot(IEnumerable<FolderFile> files)
    {
        var projects = new Dictionary<string, Dictionary<string, FolderFile>>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var project = file.Project;
            var byName = projects.TryGetValue(project, out var existing)
                ? existing
                : projects[project] = new Dictionary<string, FolderFile>(StringComparer.Ordinal);
            if (byName.TryAdd(file.Name.Filename, file))
            {
                FileCount++;
            }
        }

        Projects = projects.ToDictionary(p => p.Key, p => (IReadOnlyDictionary<string, FolderFile>)p.Value, StringComparer.Ordinal);
    }

    /// <summary>Project (normalized) → filename → file.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, FolderFile>> Projects { get; }

    public int FileCount { get; }

    public IEnumerable<FolderFile> Files => Projects.Values.SelectMany(p => p.Values);

    public FolderFile? Find(string project, string filename) =>
        Projects.TryGetValue(project, out var files) && files.TryGetValue(filename, out var file) ? file : null;

    /// <summary>The projects whose files differ between two snapshots (added, removed or restamped).</summary>
    public static IReadOnlySet<string> ChangedProjects(FolderSnapshot before, FolderSnapshot after)
    {
        var changed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (project, files) in after.Projects)
        {
            if (!before.Projects.TryGetValue(project, out var old) || old.Count != files.Count
                || files.Any(f => !old.TryGetValue(f.Key, out var o) || !o.Unchanged(f.Value)))
            {
                changed.Add(project);
            }
        }

        changed.UnionWith(before.Projects.Keys.Where(p => !after.Projects.ContainsKey(p)));
        return changed;
    }
}
