using System.Text.Json.Serialization;
using static PypiLocal.Core.Attestations.AttestationWireNumbers;

namespace PypiLocal.Core.Attestations;

// The PEP 740 attestation object as uv, twine and gh-action-pypi-publish send it (the pypi-attestations format):
// a DSSE envelope plus the Sigstore verification material, whose transparency entries are Rekor v1 log entries in
// their protobuf JSON form (64-bit numbers as strings, camelCase). Fields are nullable so that a missing one is
// reported by name instead of failing the parse. Serialized again, only these verified fields are kept, with 64-bit
// numbers as strings as in Rekor's own JSON.

internal sealed record AttestationWire(
    [property: JsonPropertyName("version")] int? Version,
    [property: JsonPropertyName("verification_material")] VerificationMaterialWire? VerificationMaterial,
    [property: JsonPropertyName("envelope")] EnvelopeWire? Envelope);

internal sealed record VerificationMaterialWire(
    [property: JsonPropertyName("certificate")] string? Certificate,
    [property: JsonPropertyName("transparency_entries")] IReadOnlyList<TransparencyEntryWire>? TransparencyEntries);

internal sealed record EnvelopeWire(
    [property: JsonPropertyName("statement")] string? Statement,
    [property: JsonPropertyName("signature")] string? Signature);

internal sealed record TransparencyEntryWire(
    [property: JsonPropertyName("logIndex"), JsonNumberHandling(QuotedInt64)] long? LogIndex,
    [property: JsonPropertyName("logId")] LogIdWire? LogId,
    [property: JsonPropertyName("kindVersion")] KindVersionWire? KindVersion,
    [property: JsonPropertyName("integratedTime"), JsonNumberHandling(QuotedInt64)] long? IntegratedTime,
    [property: JsonPropertyName("inclusionPromise")] InclusionPromiseWire? InclusionPromise,
    [property: JsonPropertyName("inclusionProof")] InclusionProofWire? InclusionProof,
    [property: JsonPropertyName("canonicalizedBody")] string? CanonicalizedBody);

internal sealed record LogIdWire([property: JsonPropertyName("keyId")] string? KeyId);

internal sealed record KindVersionWire(
    [property: JsonPropertyName("kind")] string? Kind,
    [property: JsonPropertyName("version")] string? Version);

internal sealed record InclusionPromiseWire([property: JsonPropertyName("signedEntryTimestamp")] string? SignedEntryTimestamp);

internal sealed record InclusionProofWire(
    [property: JsonPropertyName("logIndex"), JsonNumberHandling(QuotedInt64)] long? LogIndex,
    [property: JsonPropertyName("rootHash")] string? RootHash,
    [property: JsonPropertyName("treeSize"), JsonNumberHandling(QuotedInt64)] long? TreeSize,
    [property: JsonPropertyName("hashes")] IReadOnlyList<string>? Hashes,
    [property: JsonPropertyName("checkpoint")] CheckpointWire? Checkpoint);

internal sealed record CheckpointWire([property: JsonPropertyName("envelope")] string? Envelope);

// The body Rekor logged for a "dsse" 0.0.1 entry: hashes of the envelope and payload, and each signature with the
// PEM certificate (base64 again) that verifies it.
internal sealed record DsseLogBodyWire(
    [property: JsonPropertyName("apiVersion")] string? ApiVersion,
    [property: JsonPropertyName("kind")] string? Kind,
    [property: JsonPropertyName("spec")] DsseLogSpecWire? Spec);

internal sealed record DsseLogSpecWire(
    [property: JsonPropertyName("payloadHash")] LogHashWire? PayloadHash,
    [property: JsonPropertyName("signatures")] IReadOnlyList<DsseLogSignatureWire>? Signatures);

internal sealed record LogHashWire(
    [property: JsonPropertyName("algorithm")] string? Algorithm,
    [property: JsonPropertyName("value")] string? Value);

internal sealed record DsseLogSignatureWire(
    [property: JsonPropertyName("signature")] string? Signature,
    [property: JsonPropertyName("verifier")] string? Verifier);

// The in-toto v1 statement inside the envelope.
internal sealed record InTotoStatementWire(
    [property: JsonPropertyName("_type")] string? Type,
    [property: JsonPropertyName("subject")] IReadOnlyList<InTotoSubjectWire>? Subject,
    [property: JsonPropertyName("predicateType")] string? PredicateType);

internal sealed record InTotoSubjectWire(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("digest")] IReadOnlyDictionary<string, string>? Digest);

[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AttestationWire))]
[JsonSerializable(typeof(DsseLogBodyWire))]
[JsonSerializable(typeof(InTotoStatementWire))]
[JsonSerializable(typeof(System.Text.Json.Nodes.JsonObject))]
internal sealed partial class AttestationJsonContext : JsonSerializerContext;

// The upload field: a list whose items may be null (refused by name rather than by a parse error).
[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(List<AttestationWire?>))]
internal sealed partial class AttestationListJsonContext : JsonSerializerContext;

internal static class AttestationWireNumbers
{
    public const JsonNumberHandling QuotedInt64 = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString;
}
