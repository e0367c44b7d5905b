using System.Security.Cryptography;
using System.Text.Json.Nodes;
using PypiLocal.Core.Auth;
using PypiLocal.Core.Publishing;
using PypiLocal.Core.Tests.Support;
using PypiLocal.Testing.Sigstore;

namespace PypiLocal.Core.Tests.Publishing;

public sealed class UploadAttestationTests : IDisposable
{
    private const string Filename = "widgets-1.0-py3-none-any.whl";
    private static readonly byte[] Wheel = TestArchive.Wheel("widgets", "1.0");
    private static readonly SigningIdentity Identity = UploadFixture.Sigstore.Identity;
    private static readonly IndexUser Publisher = new("github-acme-widgets", new GrantSet(AccessGrant.Parse("upload widgets")), IsToken: true, new PublisherIdentity(Identity.Issuer, Identity.TokenClaims));

    private readonly UploadFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    private Task<UploadOutcome> UploadAsync(JsonObject? attestation, IndexUser user) =>
        _fixture.UploadAsync(Wheel, Filename, "widgets", "1.0", fields =>
        {
            if (attestation is not null)
            {
                fields["attestations"] = [SigstoreTestAuthority.Field(attestation)];
            }
        }, user);

    [Fact]
    public async Task A_verified_attestation_is_stored_as_the_files_provenance()
    {
        var outcome = await UploadAsync(UploadFixture.Sigstore.Attest(Filename, TestArchive.Sha256(Wheel)), Publisher);

        Assert.Equal(UploadStatus.Created, outcome.Status);
        var added = Assert.Single(_fixture.Repository.Added);
        Assert.NotNull(added.Provenance);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(added.Provenance)), added.File.ProvenanceSha256);
        Assert.Equal("acme/widgets", (string?)JsonNode.Parse(added.Provenance)!["attestation_bundles"]![0]!["publisher"]!["repository"]);
    }

    [Fact]
    public async Task An_upload_without_attestations_has_no_provenance()
    {
        var outcome = await UploadAsync(null, Publisher);

        Assert.Equal(UploadStatus.Created, outcome.Status);
        Assert.Null(Assert.Single(_fixture.Repository.Added).File.ProvenanceSha256);
    }

    [Fact]
    public async Task A_tampered_attestation_refuses_the_whole_upload_and_stores_nothing()
    {
        var outcome = await UploadAsync(UploadFixture.Sigstore.Attest(Filename, TestArchive.Sha256(Wheel), new AttestationFaults { TamperSignature = true }), Publisher);

        Assert.Equal(UploadStatus.Invalid, outcome.Status);
        Assert.Contains("envelope's signature does not verify", outcome.Message, StringComparison.Ordinal);
        Assert.Empty(_fixture.Repository.Added);
        Assert.Empty(_fixture.Cache.Invalidated);
        Assert.Empty(Directory.Exists(_fixture.StagingDirectory) ? Directory.GetFiles(_fixture.StagingDirectory) : []);
    }

    [Fact]
    public async Task Attestations_from_a_password_or_plain_token_upload_are_refused_as_PyPI_does()
    {
        var attestation = UploadFixture.Sigstore.Attest(Filename, TestArchive.Sha256(Wheel));

        var byPassword = await UploadAsync(attestation, IndexUser.Operator);
        var byPlainToken = await UploadAsync(attestation, new IndexUser("ci", new GrantSet(AccessGrant.Parse("upload widgets")), IsToken: true));

        Assert.Equal((UploadStatus.Invalid, "Attestations are only supported when using Trusted Publishing"), (byPassword.Status, byPassword.Message));
        Assert.Equal(UploadStatus.Invalid, byPlainToken.Status);
        Assert.Empty(_fixture.Repository.Added);
    }
}
