namespace PypiLocal.Core.Catalog.Bucket;

/// <summary>
/// The bucket's key layout, in one place:
/// <c>files/{project}/{filename}</c>, its companions <c>files/{project}/{filename}.metadata</c> (PEP 658) and
/// <c>files/{project}/{filename}.provenance</c> (PEP 740), and <c>index/{project}.json</c>.
/// </summary>
public static class BucketKeys
{
    public const string FilesPrefix = "files/";
    public const string IndexPrefix = "index/";
    public const string MetadataSuffix = ".metadata";
    public const string ProvenanceSuffix = ".provenance";

    /// <summary>The suffixes of the objects kept beside a distribution (never distributions themselves).</summary>
    public static readonly IReadOnlyList<string> CompanionSuffixes = [MetadataSuffix, ProvenanceSuffix];
    private const string IndexSuffix = ".json";

    public static string File(string project, string filename) => $"{FilesPrefix}{project}/{filename}";

    public static string CoreMetadata(string project, string filename) => File(project, filename) + MetadataSuffix;

    public static string Provenance(string project, string filename) => File(project, filename) + ProvenanceSuffix;

    /// <summary>The distribution a companion object (<c>.metadata</c>, <c>.provenance</c>) belongs to, or null for a distribution.</summary>
    public static string? CompanionOf(string name) =>
        CompanionSuffixes.FirstOrDefault(s => name.EndsWith(s, StringComparison.Ordinal)) is { } suffix ? name[..^suffix.Length] : null;

    public static string Index(string project) => $"{IndexPrefix}{project}{IndexSuffix}";

    /// <summary>The project of an <c>index/{project}.json</c> key, or null for any other key.</summary>
    public static string? ProjectOfIndex(string key) =>
        key.StartsWith(IndexPrefix, StringComparison.Ordinal) && key.EndsWith(IndexSuffix, StringComparison.Ordinal)
            && key.Length > IndexPrefix.Length + IndexSuffix.Length
            && key.IndexOf('/', IndexPrefix.Length) < 0
            ? key[IndexPrefix.Length..^IndexSuffix.Length]
            : null;

    /// <summary>Splits <c>files/{project}/{name}</c> into its parts, or null for any other key.</summary>
    public static (string Project, string Name)? ParseFile(string key)
    {
        if (!key.StartsWith(FilesPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = key.AsSpan(FilesPrefix.Length);
        var slash = rest.IndexOf('/');
        if (slash <= 0 || slash == rest.Length - 1 || rest[(slash + 1)..].Contains('/'))
        {
            return null;
        }

        return (rest[..slash].ToString(), rest[(slash + 1)..].ToString());
    }

    /// <summary>
    /// True when a name can be one key segment: not empty, no separators or control characters, not a dot
    /// segment (URL normalization would collapse "..", letting a request address another key).
    /// </summary>
    public static bool IsSafeSegment(string? name) =>
        !string.IsNullOrEmpty(name) && name is not "." and not ".." && name.Length <= 512
        && !name.Any(c => c is '/' or '\\' || char.IsControl(c));
}
