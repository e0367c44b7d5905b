using System.Text.Json.Nodes;
using PypiLocal.Core.Attestations;
using PypiLocal.Core.Auth;
using PypiLocal.Testing.Sigstore;

namespace PypiLocal.Core.Tests.Attestations;

/// <summary>
/// A real attestation made on GitHub Actions by gh-action-pypi-publish and logged in Sigstore's public-good Rekor
/// (pypi-attestations 0.0.19's sdist, from that project's test assets), verified offline against the trust root
/// built into PypiLocal: proof that the verifier reads what real tools write and that the shipped roots are right.
/// </summary>
public sealed class PublicGoodAttestationTests
{
    private const string Filename = "pypi_attestations-0.0.19.tar.gz";
    private const string Sha256 = "9bb1add04b1b4e182be6b0b80931593f7a291eb49d69b4fd728a5d4cbcdc4bd3";

    private static readonly string Field = new JsonArray(
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Attestations", "TestData", Filename + ".provenance")))!
            ["attestation_bundles"]![0]!["attestations"]![0]!.DeepClone()).ToJsonString();

    private static readonly PublisherIdentity Publisher = new(SigningIdentity.GitHubIssuer, new Dictionary<string, string>
    {
        ["repository"] = "trailofbits/pypi-attestations",
        ["workflow_ref"] = "trailofbits/pypi-attestations/.github/workflows/release.yml@refs/tags/v0.0.19",
    });

    // Sigstore's public-good Rekor key, so that an index trusting only a private Fulcio fails on the certificate.
    private const string PublicGoodRekorKey = """
        -----BEGIN PUBLIC KEY-----
        MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE2G2Y+2tabdTV5BcGiBIx0a9fAFwr
        kBbmLSGtks4L3qX6yYY0zufBnhC8Ur/iy55GhWP/9A/bY2LhC30M9+RYtw==
        -----END PUBLIC KEY-----
        """;

    private static readonly AttestationVerifier PublicGood = new(AttestationTrustRoot.Load(new AttestationOptions()));

    [Fact]
    public void Verifies_against_the_built_in_Sigstore_roots()
    {
        var provenance = PublicGood.Verify(Field, Filename, Sha256, Publisher);

        Assert.Equal(["https://docs.pypi.org/attestations/publish/v1"], provenance.PredicateTypes);
        var publisher = JsonNode.Parse(provenance.Json)!["attestation_bundles"]![0]!["publisher"]!;
        Assert.Equal("trailofbits/pypi-attestations", (string?)publisher["repository"]);
        Assert.Equal("release.yml", (string?)publisher["workflow"]);
    }

    [Fact]
    public void Is_refused_for_another_file()
    {
        var message = Assert.Throws<AttestationException>(() => PublicGood.Verify(Field, Filename, new string('a', 64), Publisher)).Message;

        Assert.Contains("subject does not match distribution digest", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Is_refused_for_another_trusted_publisher()
    {
        var other = new PublisherIdentity(SigningIdentity.GitHubIssuer, new Dictionary<string, string>
        {
            ["repository"] = "trailofbits/pypi-attestations",
            ["workflow_ref"] = "trailofbits/pypi-attestations/.github/workflows/nightly.yml@refs/heads/main",
        });

        var message = Assert.Throws<AttestationException>(() => PublicGood.Verify(Field, Filename, Sha256, other)).Message;

        Assert.Contains("does not match the trusted publisher's workflow (https://github.com/trailofbits/pypi-attestations/.github/workflows/nightly.yml)", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Is_refused_by_an_index_that_trusts_only_a_private_Fulcio()
    {
        var authority = new SigstoreTestAuthority();
        var privateOnly = new AttestationVerifier(AttestationTrustRoot.FromPem(authority.Fulcio.TrustPem, authority.Rekor.PublicKeyPem + "\n" + PublicGoodRekorKey));

        var message = Assert.Throws<AttestationException>(() => privateOnly.Verify(Field, Filename, Sha256, Publisher)).Message;

        Assert.Contains("does not chain to a trusted root", message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_certificate_names_the_workflow_in_Fulcio_extensions()
    {
        var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(Convert.FromBase64String(
            (string)JsonNode.Parse(Field)![0]!["verification_material"]!["certificate"]!));

        var identity = CertificateIdentity.Read(certificate);

        Assert.Equal(SigningIdentity.GitHubIssuer, identity.Issuer);
        Assert.Equal("https://github.com/trailofbits/pypi-attestations", identity.Claim(FulcioOids.SourceRepositoryUri));
        Assert.Equal("refs/tags/v0.0.19", identity.Claim(FulcioOids.SourceRepositoryRef));
        Assert.Equal(["https://github.com/trailofbits/pypi-attestations/.github/workflows/release.yml@refs/tags/v0.0.19"], identity.SubjectAlternativeNames);
    }
}
