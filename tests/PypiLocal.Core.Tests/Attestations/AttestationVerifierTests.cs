using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using PypiLocal.Core.Attestations;
using PypiLocal.Core.Auth;
using PypiLocal.Testing.Sigstore;

namespace PypiLocal.Core.Tests.Attestations;

public sealed class AttestationVerifierTests
{
    private const string Filename = "widgets-1.0-py3-none-any.whl";
    private static readonly string Sha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("the wheel's bytes")));

    // One authority for the class: making CAs and keys is the slow part.
    private static readonly SigstoreTestAuthority Authority = new();
    private static readonly AttestationVerifier Verifier = new(AttestationTrustRoot.FromPem(Authority.Fulcio.TrustPem, Authority.Rekor.PublicKeyPem));

    private static PublisherIdentity Publisher(SigningIdentity? identity = null)
    {
        identity ??= Authority.Identity;
        return new PublisherIdentity(identity.Issuer, identity.TokenClaims);
    }

    private static string Field(AttestationFaults? faults = null) => SigstoreTestAuthority.Field(Authority.Attest(Filename, Sha256, faults));

    private static string Refusal(string field, PublisherIdentity? publisher = null) =>
        Assert.Throws<AttestationException>(() => Verifier.Verify(field, Filename, Sha256, publisher ?? Publisher())).Message;

    [Fact]
    public void A_valid_attestation_yields_provenance_naming_the_trusted_publisher()
    {
        var provenance = Verifier.Verify(Field(), Filename, Sha256, Publisher());

        Assert.Equal([SigstoreTestAuthority.PublishPredicate], provenance.PredicateTypes);
        var json = JsonNode.Parse(provenance.Json)!;
        Assert.Equal(1, (int)json["version"]!);
        var bundle = json["attestation_bundles"]![0]!;
        Assert.Equal("GitHub", (string?)bundle["publisher"]!["kind"]);
        Assert.Equal("acme/widgets", (string?)bundle["publisher"]!["repository"]);
        Assert.Equal("release.yml", (string?)bundle["publisher"]!["workflow"]);
        Assert.Equal("pypi", (string?)bundle["publisher"]!["environment"]);
        var attestation = bundle["attestations"]![0]!;
        Assert.Equal(1, (int)attestation["version"]!);
        Assert.NotNull((string?)attestation["envelope"]!["statement"]);
        var entry = attestation["verification_material"]!["transparency_entries"]![0]!;
        Assert.Equal("1000000", (string?)entry["logIndex"]);
        Assert.Equal("11", (string?)entry["inclusionProof"]!["treeSize"]);
    }

    [Fact]
    public void The_provenance_keeps_only_the_fields_that_were_verified()
    {
        var attestation = Authority.Attest(Filename, Sha256);
        attestation["unverified"] = "something";
        attestation["verification_material"]!["timestamps"] = new JsonArray("unchecked");

        var provenance = Verifier.Verify(SigstoreTestAuthority.Field(attestation), Filename, Sha256, Publisher());

        var text = Encoding.UTF8.GetString(provenance.Json);
        Assert.DoesNotContain("unverified", text, StringComparison.Ordinal);
        Assert.DoesNotContain("timestamps", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_publish_attestation_and_slsa_provenance_may_come_together()
    {
        var field = SigstoreTestAuthority.Field(
            Authority.Attest(Filename, Sha256),
            Authority.Attest(Filename, Sha256, new AttestationFaults { PredicateType = SigstoreTestAuthority.SlsaProvenancePredicate }));

        var provenance = Verifier.Verify(field, Filename, Sha256, Publisher());

        Assert.Equal([SigstoreTestAuthority.PublishPredicate, SigstoreTestAuthority.SlsaProvenancePredicate], provenance.PredicateTypes);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(0, 2)]
    [InlineData(1, 2)]
    [InlineData(2, 3)]
    [InlineData(6, 7)]
    [InlineData(7, 8)]
    [InlineData(3, 8)]
    [InlineData(12, 13)]
    [InlineData(8, 13)]
    [InlineData(15, 16)]
    [InlineData(0, 17)]
    [InlineData(16, 17)]
    public void Inclusion_proofs_verify_at_every_position_of_a_tree(int index, int treeSize)
    {
        var provenance = Verifier.Verify(Field(new AttestationFaults { TreePosition = (index, treeSize) }), Filename, Sha256, Publisher());

        Assert.Single(provenance.PredicateTypes);
    }

    public static TheoryData<string, AttestationFaults, string> BrokenAttestations => new()
    {
        { "tampered signature", new AttestationFaults { TamperSignature = true }, "envelope's signature does not verify" },
        { "statement changed after signing", new AttestationFaults { TamperStatement = true }, "envelope's signature does not verify" },
        { "certificate from an untrusted CA", new AttestationFaults { UntrustedCertificateAuthority = true }, "does not chain to a trusted root" },
        { "certificate not for code signing", new AttestationFaults { NoCodeSigningUsage = true }, "not for code signing" },
        { "entry in an unknown log", new AttestationFaults { UntrustedLog = true }, "comes from a log this index does not trust" },
        { "broken inclusion proof", new AttestationFaults { TamperInclusionProof = true }, "inclusion proof does not lead from the entry to the log's root hash" },
        { "forged checkpoint", new AttestationFaults { TamperCheckpointSignature = true }, "checkpoint signature does not verify" },
        { "integrated time changed", new AttestationFaults { TamperIntegratedTime = true }, "signed entry timestamp does not verify" },
        { "logged after the certificate expired", new AttestationFaults { LoggedAfter = TimeSpan.FromMinutes(11) }, "was not valid when the transparency log recorded the signature" },
        { "log entry for another signature", new AttestationFaults { LogOtherSignature = true }, "signature and certificate do not match" },
        { "wrong subject digest", new AttestationFaults { SubjectSha256 = new string('0', 64) }, "subject does not match distribution digest" },
        { "wrong subject name", new AttestationFaults { SubjectName = "widgets-2.0-py3-none-any.whl" }, "subject does not match distribution name" },
        { "unknown predicate", new AttestationFaults { PredicateType = "https://example.com/predicate/v1" }, "unsupported predicate type: https://example.com/predicate/v1" },
        { "another repository", new AttestationFaults { Identity = new SigningIdentity(Repository: "mallory/widgets") }, "Source Repository URI (https://github.com/mallory/widgets)" },
        { "another workflow", new AttestationFaults { Identity = new SigningIdentity(Workflow: "other.yml") }, "Build Config URI" },
        { "another issuer", new AttestationFaults { Identity = new SigningIdentity(Issuer: "https://token.example/") }, "OIDC issuer https://token.example/" },
    };

    [Theory]
    [MemberData(nameof(BrokenAttestations))]
    public void Each_broken_piece_refuses_the_attestations_with_its_reason(string what, AttestationFaults faults, string reason)
    {
        var message = Refusal(Field(faults));

        Assert.StartsWith("Could not verify the uploaded artifact using the included attestation: ", message, StringComparison.Ordinal);
        Assert.True(message.Contains(reason, StringComparison.Ordinal), $"{what}: {message}");
    }

    [Fact]
    public void One_broken_attestation_refuses_the_valid_one_beside_it()
    {
        var field = SigstoreTestAuthority.Field(
            Authority.Attest(Filename, Sha256),
            Authority.Attest(Filename, Sha256, new AttestationFaults { PredicateType = SigstoreTestAuthority.SlsaProvenancePredicate, SubjectSha256 = new string('1', 64) }));

        Assert.Contains("subject does not match distribution digest", Refusal(field), StringComparison.Ordinal);
    }

    [Fact]
    public void An_upload_without_a_trusted_publisher_may_not_carry_attestations()
    {
        var message = Assert.Throws<AttestationException>(() => Verifier.Verify(Field(), Filename, Sha256, publisher: null)).Message;

        Assert.Equal("Attestations are only supported when using Trusted Publishing", message);
    }

    [Fact]
    public void A_publisher_kind_whose_certificates_cannot_be_matched_is_refused()
    {
        var publisher = new PublisherIdentity("https://ci.example", new Dictionary<string, string> { ["sub"] = "pipeline:1" });

        Assert.Equal("Attestations are not currently supported with https://ci.example publishers", Refusal(Field(), publisher));
    }

    [Theory]
    [InlineData("[]", "Malformed attestations: an empty attestation set is not permitted")]
    [InlineData("{\"version\": 1}", "Malformed attestations: ")]
    [InlineData("[null]", "Malformed attestations: an attestation is null")]
    [InlineData("not json", "Malformed attestations: ")]
    [InlineData("[{\"version\": 2}]", "attestation version 2 is not supported")]
    [InlineData("[{\"version\": 1, \"envelope\": {}}]", "verification_material is missing")]
    public void Malformed_attestations_are_refused(string field, string reason)
    {
        Assert.Contains(reason, Refusal(field), StringComparison.Ordinal);
    }

    [Fact]
    public void At_most_one_attestation_per_predicate_type_is_taken()
    {
        var twice = SigstoreTestAuthority.Field(Authority.Attest(Filename, Sha256), Authority.Attest(Filename, Sha256));
        var thrice = SigstoreTestAuthority.Field(Authority.Attest(Filename, Sha256), Authority.Attest(Filename, Sha256), Authority.Attest(Filename, Sha256));

        Assert.Equal(
            "Multiple attestations for the same file with the same predicate type (https://docs.pypi.org/attestations/publish/v1) are not supported",
            Refusal(twice));
        Assert.Equal("A maximum of 2 attestations per file are supported", Refusal(thrice));
    }

    [Fact]
    public void Entries_without_a_signed_entry_timestamp_are_refused_since_their_time_is_unproven()
    {
        var attestation = Authority.Attest(Filename, Sha256);
        attestation["verification_material"]!["transparency_entries"]![0]!.AsObject().Remove("inclusionPromise");

        Assert.Contains("signed entry timestamp (inclusionPromise) is missing", Refusal(SigstoreTestAuthority.Field(attestation)), StringComparison.Ordinal);
    }

    [Fact]
    public void Rekor_v2_entries_are_refused_as_unsupported()
    {
        var attestation = Authority.Attest(Filename, Sha256);
        attestation["verification_material"]!["transparency_entries"]![0]!["kindVersion"]!["version"] = "0.0.2";

        Assert.Contains("only Rekor v1 'dsse 0.0.1' entries are", Refusal(SigstoreTestAuthority.Field(attestation)), StringComparison.Ordinal);
    }
}
