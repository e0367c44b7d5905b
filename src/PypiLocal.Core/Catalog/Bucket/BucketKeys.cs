using System.Buffers;

namespace PypiLocal.Core.Catalog.Bucket;

/// <summary>
/// The bucket's key layout, in one place: <c>index/{project}.json</c>; uploads at
/// <c>blobs/{project}/{uploadId}/{filename}</c> (a key per upload, never overwritten, visible only through the
/// index entry that names it); files copied in by other tools, and uploads from before per-upload keys, at
/// <c>files/{project}/{filename}</c>. Each file's companions sit beside it with a suffix appended:
/// <c>.metadata</c> (PEP 658) and <c>.provenance</c> (PEP 740). API tokens live under <c>auth/</c>, the upstream
/// cache under <c>upstream/</c>; neither is swept or reindexed.
/// </summary>
public static class BucketKeys
{
    public const string FilesPrefix = "files/";
    public const string BlobsPrefix = "blobs/";
    public const string IndexPrefix = "index/";
    public const string AuthPrefix = "auth/";
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

    /// <summary>A new key of its own for one upload's bytes.</summary>
    public static string NewBlob(string project, string filename) => $"{BlobsPrefix}{project}/{Guid.CreateVersion7():N}/{filename}";

    /// <summary>Where an indexed file's bytes are: its own upload's key, or the filename's key for older entries.</summary>
    public static string FileOf(DistributionFile entry) => entry.StorageKey ?? File(entry.Project, entry.Filename);

    /// <summary>Where an indexed file's core metadata is (whether one is served is the entry's CoreMetadataSha256).</summary>
    public static string CoreMetadataOf(DistributionFile entry) => FileOf(entry) + MetadataSuffix;

    /// <summary>Where an indexed file's provenance is (whether one is served is the entry's ProvenanceSha256).</summary>
    public static string ProvenanceOf(DistributionFile entry) => FileOf(entry) + ProvenanceSuffix;

    /// <summary>Every object an indexed file may have: its bytes and the companions beside them.</summary>
    public static IEnumerable<string> ObjectsOf(DistributionFile entry) => ObjectsAt(FileOf(entry));

    /// <summary>The object at <paramref name="fileKey"/> and the companions beside it.</summary>
    public static IEnumerable<string> ObjectsAt(string fileKey) => [fileKey, .. CompanionSuffixes.Select(s => fileKey + s)];

    /// <summary>The project of a <c>blobs/{project}/...</c> key, or null for any other key.</summary>
    public static string? ProjectOfBlob(string key)
    {
        if (!key.StartsWith(BlobsPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var slash = key.IndexOf('/', BlobsPrefix.Length);
        return slash > BlobsPrefix.Length ? key[BlobsPrefix.Length..slash] : null;
    }

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
        && !name.AsSpan().ContainsAny(Unsafe);

    // The separators and the control characters (char.IsControl), searched for without an enumerator per call: every
    // download through a bucket checks its project and filename.
    private static readonly SearchValues<char> Unsafe = SearchValues.Create(
        ['/', '\\', .. Enumerable.Range(0, 0x20).Select(c => (char)c), .. Enumerable.Range(0x7F, 0x21).Select(c => (char)c)]);
}
