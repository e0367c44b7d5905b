namespace PypiLocal.Core.Attestations;

/// <summary>
/// The PEP 740 provenance object for one file, built only from attestations that passed every check: what the
/// integrity endpoint serves, byte for byte.
/// </summary>
/// <param name="Json">The provenance object as UTF-8 JSON.</param>
/// <param name="PredicateTypes">The predicate types attested, one per attestation.</param>
public sealed record VerifiedProvenance(byte[] Json, IReadOnlyList<string> PredicateTypes);
