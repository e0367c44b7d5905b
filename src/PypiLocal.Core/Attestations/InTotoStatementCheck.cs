using System.Text.Json;

namespace PypiLocal.Core.Attestations;

/// <summary>
/// Checks what an attestation says: an in-toto v1 statement about exactly one subject, the uploaded file (same
/// filename, same SHA-256), with a predicate type PyPI accepts (PEP 740's publish attestation or SLSA provenance).
/// </summary>
internal static class InTotoStatementCheck
{
    public const string StatementType = "https://in-toto.io/Statement/v1";

    public const string PublishPredicate = "https://docs.pypi.org/attestations/publish/v1";

    public const string SlsaProvenancePredicate = "https://slsa.dev/provenance/v1";

    public static readonly IReadOnlySet<string> SupportedPredicates = new HashSet<string>(StringComparer.Ordinal) { PublishPredicate, SlsaProvenancePredicate };

    /// <summary>Answers the statement's predicate type when the statement is about <paramref name="filename"/> with <paramref name="sha256"/>.</summary>
    public static string Check(byte[] statement, string filename, string sha256)
    {
        InTotoStatementWire? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize(statement, AttestationJsonContext.Default.InTotoStatementWire);
        }
        catch (JsonException)
        {
            throw new AttestationException("the statement is not JSON");
        }

        if (parsed?.Type != StatementType)
        {
            throw new AttestationException($"the statement is not an in-toto v1 statement ('{parsed?.Type}')");
        }

        if (parsed.Subject is not [{ } subject])
        {
            throw new AttestationException($"the statement must have exactly one subject, not {parsed.Subject?.Count ?? 0}");
        }

        if (subject.Name != filename)
        {
            throw new AttestationException($"subject does not match distribution name: {subject.Name} != {filename}");
        }

        if (subject.Digest?.GetValueOrDefault("sha256") is not { } digest || !digest.Equals(sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new AttestationException("subject does not match distribution digest");
        }

        return parsed.PredicateType is { } predicate && SupportedPredicates.Contains(predicate)
            ? predicate
            : throw new AttestationException($"Attestation with unsupported predicate type: {parsed.PredicateType}");
    }
}
