using System.Text.Json.Serialization;

namespace PypiLocal.Core.Audit;

/// <summary>The audit trail's JSON: camelCase, nulls left out, actions by their wire names.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(AuditEvent))]
[JsonSerializable(typeof(IAsyncEnumerable<AuditEvent>))]
[JsonSerializable(typeof(PublishersRecord))]
public sealed partial class AuditJsonContext : JsonSerializerContext;
