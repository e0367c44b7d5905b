namespace PypiLocal.Core.Catalog.Bucket;

/// <summary>
/// The per-project index document (<c>index/{project}.json</c>): the display name and every file's facts,
/// so a cold project page is one GET whatever the number of files.
/// </summary>
internal sealed record ProjectIndexDocument(string Project, string DisplayName, IReadOnlyList<DistributionFile> Files)
{
    public DistributionFile? Find(string filename) => Files.FirstOrDefault(f => f.Filename == filename);

    /// <summary>A copy with <paramref name="file"/> added or replacing the entry of the same filename, sorted by filename.</summary>
    public ProjectIndexDocument With(DistributionFile file, string displayName) =>
        this with
        {
            DisplayName = displayName,
            Files = [.. Files.Where(f => f.Filename != file.Filename).Append(file).OrderBy(f => f.Filename, StringComparer.Ordinal)],
        };

    public ProjectIndexDocument Without(string filename) => this with { Files = [.. Files.Where(f => f.Filename != filename)] };
}
