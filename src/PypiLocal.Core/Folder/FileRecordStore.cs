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

    public static void Write(string distributionPath, FileRecord record)
    {
        var path = PathFor(distributionPath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(record, Json));
        File.Move(temporary, path, overwrite: true);
    }

    public static void Delete(string distributionPath) => File.Delete(PathFor(distributionPath));
}
