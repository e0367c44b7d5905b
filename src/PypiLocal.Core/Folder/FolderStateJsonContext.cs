using System.Text.Json.Serialization;

namespace PypiLocal.Core.Folder;

/// <summary>Source-generated JSON for the state directory's records (camelCase, enums as strings, nulls left out).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StoredFacts))]
[JsonSerializable(typeof(FileRecord))]
internal sealed partial class FolderStateJsonContext : JsonSerializerContext;
