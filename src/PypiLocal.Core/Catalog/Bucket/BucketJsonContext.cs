using System.Text.Json.Serialization;

namespace PypiLocal.Core.Catalog.Bucket;

/// <summary>Source-generated JSON for the index documents (camelCase, enums as strings).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ProjectIndexDocument))]
internal sealed partial class BucketJsonContext : JsonSerializerContext;
