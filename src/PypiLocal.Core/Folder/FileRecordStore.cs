using System.Text.Json;
using System.Text.Json.Serialization;

namespace PypiLocal.Core.Folder;

/// <summary>
/// Reads and writes <see cref="FileRecord"/>s at <c>&lt;dir&gt;/.pypilocal/&lt;filename&gt;.json</c>. One file per
/// distribution, written by rename, so replicas sharing a folder never overwrite each other's records.
/// </summary>
internal static class FileRecordStore
{
    public const string StateDirectory = ".pypilocal";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string PathFor(string distributionPath) =>
        Path.Combine(Path.GetDirectoryName(distributionPath)!, StateDirectory, Path.GetFileName(distributionPath) + ".json");

    /// <summary>Where a file's PEP 740 provenance object is kept: <c>&lt;dir&gt;/.pypilocal/&lt;filename&gt;.provenance</c>.</summary>
    public static string ProvenancePathFor(string distributionPath) =>
        Path.Combine(Path.GetDirectoryName(distributionPath)!, StateDirectory, Path.GetFileName(distributionPath) + ".provenance");

    public static FileRecord? TryRead(string distributionPath)
    {
        try
        {
            using var stream = File.OpenRead(PathFor(distributionPath));
            return JsonSerializer.Deserialize<FileRecord>(stream, Json);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    public static void Write(string distributionPath, FileRecord record) =>
        WriteAtomically(PathFor(distributionPath), JsonSerializer.SerializeToUtf8Bytes(record, Json));

    /// <summary>Writes the provenance object, or removes a previous one when <paramref name="provenance"/> is null.</summary>
    public static void WriteProvenance(string distributionPath, byte[]? provenance)
    {
        if (provenance is null)
        {
            DeleteIfPresent(ProvenancePathFor(distributionPath));
            return;
        }

        WriteAtomically(ProvenancePathFor(distributionPath), provenance);
    }

    public static byte[]? TryReadProvenance(string distributionPath)
    {
        try
        {
            return File.ReadAllBytes(ProvenancePathFor(distributionPath));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static void Delete(string distributionPath)
    {
        DeleteIfPresent(PathFor(distributionPath));
        DeleteIfPresent(ProvenancePathFor(distributionPath));
    }

    // File.Delete ignores a missing file but not a missing state directory.
    private static void DeleteIfPresent(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    private static void WriteAtomically(string path, byte[] content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllBytes(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }
}
