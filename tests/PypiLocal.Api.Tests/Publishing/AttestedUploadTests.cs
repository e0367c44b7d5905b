using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PypiLocal.Api.Tests.Support;
using PypiLocal.Core.Auth;
using PypiLocal.Testing;
using PypiLocal.Testing.Sigstore;

namespace PypiLocal.Api.Tests.Publishing;

/// <summary>PEP 740 over HTTP: an attested upload by a trusted publisher, its provenance in the pages and the integrity API.</summary>
public sealed class AttestedUploadTests : IDisposable
{
    private const string Filename = "widgets-1.0-py3-none-any.whl";
    private const string ProvenancePath = "/integrity/widgets/1.0/widgets-1.0-py3-none-any.whl/provenance";
    private static readonly SigstoreTestAuthority Sigstore = new();

    private readonly TempFolder _trust = new("pypilocal-api-trust");
    private readonly TempFolder _dist = new("pypilocal-api-dist");
    private readonly PublishingApplication _app;

    public AttestedUploadTests()
    {
        var (roots, keys) = Sigstore.WriteTrustFiles(_trust.Path);
        _app = new PublishingApplication(new Dictionary<string, string>
        {
            ["Attestations:TrustedRootsFile"] = roots,
            ["Attestations:TransparencyLogKeysFile"] = keys,
        });
    }

    public void Dispose()
    {
        _app.Dispose();
        _dist.Dispose();
        _trust.Dispose();
    }

    private async Task<HttpClient> PublisherClientAsync()
    {
        var publisher = new PublisherIdentity(Sigstore.Identity.Issuer, Sigstore.Identity.TokenClaims);
        var token = await _app.Services.GetRequiredService<ITokenStore>().CreateAsync(new TokenRequest("github-acme-widgets", AccessGrant.Parse("upload widgets"), publisher), CancellationToken.None);
        return _app.CreateClient("__token__", token.Secret);
    }

    private async Task<HttpResponseMessage> UploadAsync(HttpClient client, AttestationFaults? faults = null)
    {
        var wheel = DistributionBuilder.Wheel(_dist.Path, "widgets", "1.0");
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(wheel)));
        var field = SigstoreTestAuthority.Field(Sigstore.Attest(Filename, sha256, faults));
        return await client.PostAsync("/legacy/", PublishingApplication.TwineForm(wheel, "widgets", "1.0", fields => fields["attestations"] = field));
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string path, string accept, string? etag = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd(accept);
        if (etag is not null)
        {
            request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(etag));
        }

        return await client.SendAsync(request);
    }

    [Fact]
    public async Task An_attested_upload_is_listed_with_absolute_provenance_links_and_served_by_the_integrity_api()
    {
        using var client = await PublisherClientAsync();
        using var upload = await UploadAsync(client);
        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);

        using var json = JsonDocument.Parse(await (await GetAsync(client, "/simple/widgets/", "application/vnd.pypi.simple.v1+json")).Content.ReadAsStringAsync());
        var html = await (await GetAsync(client, "/simple/widgets/", "text/html")).Content.ReadAsStringAsync();
        using var provenance = await GetAsync(client, ProvenancePath, "application/vnd.pypi.integrity.v1+json");
        using var again = await GetAsync(client, ProvenancePath, "application/vnd.pypi.integrity.v1+json", provenance.Headers.ETag!.Tag);

        Assert.Equal("1.3", json.RootElement.GetProperty("meta").GetProperty("api-version").GetString());
        Assert.Equal("http://localhost" + ProvenancePath, json.RootElement.GetProperty("files")[0].GetProperty("provenance").GetString());
        Assert.Contains($"data-provenance=\"http://localhost{ProvenancePath}\"", html, StringComparison.Ordinal);
        Assert.Contains("content=\"1.3\"", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, provenance.StatusCode);
        Assert.Equal("application/vnd.pypi.integrity.v1+json", provenance.Content.Headers.ContentType!.MediaType);
        Assert.Contains("Accept", provenance.Headers.Vary);
        using var body = JsonDocument.Parse(await provenance.Content.ReadAsStringAsync());
        var bundle = body.RootElement.GetProperty("attestation_bundles")[0];
        Assert.Equal("GitHub", bundle.GetProperty("publisher").GetProperty("kind").GetString());
        Assert.Equal(1, bundle.GetProperty("attestations").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
    }

    [Fact]
    public async Task The_integrity_api_answers_406_for_other_types_and_404_without_provenance()
    {
        using var client = await PublisherClientAsync();
        using var upload = await UploadAsync(client);
        DistributionBuilder.Wheel(_app.Folder, "widgets", "2.0");

        using var html = await GetAsync(client, ProvenancePath, "text/html");
        using var plainJson = await GetAsync(client, ProvenancePath, "application/json");
        using var none = await GetAsync(client, "/integrity/widgets/2.0/widgets-2.0-py3-none-any.whl/provenance", "*/*");
        using var wrongVersion = await GetAsync(client, "/integrity/widgets/2.0/widgets-1.0-py3-none-any.whl/provenance", "*/*");
        using var unknown = await GetAsync(client, "/integrity/nothing/1.0/nothing-1.0.tar.gz/provenance", "*/*");

        Assert.Equal(HttpStatusCode.NotAcceptable, html.StatusCode);
        Assert.Equal("Request not acceptable", JsonDocument.Parse(await html.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString());
        Assert.Equal(("application/json", HttpStatusCode.OK), (plainJson.Content.Headers.ContentType!.MediaType, plainJson.StatusCode));
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        Assert.Equal("No provenance available for widgets-2.0-py3-none-any.whl", JsonDocument.Parse(await none.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.NotFound, wrongVersion.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Theory]
    [InlineData("tampered signature")]
    [InlineData("wrong subject digest")]
    [InlineData("foreign identity")]
    public async Task A_broken_attestation_refuses_the_whole_upload_with_its_reason_and_stores_nothing(string fault)
    {
        var faults = fault switch
        {
            "tampered signature" => new AttestationFaults { TamperSignature = true },
            "wrong subject digest" => new AttestationFaults { SubjectSha256 = new string('0', 64) },
            _ => new AttestationFaults { Identity = new SigningIdentity(Repository: "mallory/widgets") },
        };
        using var client = await PublisherClientAsync();

        using var response = await UploadAsync(client, faults);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("Could not verify the uploaded artifact using the included attestation: ", response.ReasonPhrase, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_app.Folder, "*", SearchOption.AllDirectories));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/simple/widgets/")).StatusCode);
    }

    [Fact]
    public async Task Attestations_with_a_password_are_refused_as_PyPI_refuses_them()
    {
        using var client = _app.CreateClient();

        using var response = await UploadAsync(client);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Attestations are only supported when using Trusted Publishing", response.ReasonPhrase);
        Assert.Empty(Directory.GetFiles(_app.Folder, "*", SearchOption.AllDirectories));
    }
}
