using System.Collections.Frozen;

namespace PypiLocal.Core.Folder;

/// <summary>
/// One scan of the folders: every distribution file by project and filename. Immutable, so readers never
/// see a half-done scan; a rescan builds a new one and swaps it in.
/// </summary>
internal sealed class FolderSnapshot
{
    public static readonly FolderSnapshot Empty = new(new Dictionary<string, Dictionary<string, FolderFile>>());

    public FolderSnapshot(Dictionary<string, Dictionary<string, FolderFile>> projects)
    {
        Projects = projects.ToFrozenDictionary(
            p => p.Key,
            p => (IReadOnlyDictionary<string, FolderFile>)p.Value.ToFrozenDictionary(StringComparer.Ordinal),
            StringComparer.Ordinal);
    }

    /// <summary>Project (normalized) → filename → file.</summary>
    public FrozenDictionary<string, IReadOnlyDictionary<string, FolderFile>> Projects { get; }

    public FolderFile? Find(string project, string filename) =>
        Projects.TryGetValue(project, out var files) && files.TryGetValue(filename, out var file) ? file : null;

    /// <summary>The projects whose files differ between two scans (added, removed or restamped).</summary>
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
