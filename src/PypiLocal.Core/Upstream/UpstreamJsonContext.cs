using System.Text.Json.Serialization;

namespace PypiLocal.Core.Upstream;

/// <summary>Source-generated JSON for the upstream cache's documents (camelCase, nulls left out).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(UpstreamDocument))]
internal sealed partial class UpstreamJsonContext : JsonSerializerContext;
