using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PypiLocal.Testing;
using PypiLocal.Testing.Sigstore;

namespace PypiLocal.EndToEndTests.Publishing;

/// <summary>
/// PEP 740 against the real server process, on both backends. Debian's twine 4.0.2 cannot send attestations
/// (<c>--attestations</c> came with twine 6.1) and uv is not installable here, so these upload the multipart form
/// exactly as <c>uv publish</c> builds it (its text fields, no part Content-Types, the attestations as one JSON
/// text field, the file last, uv's Accept) from a real HTTP client over loopback.
/// </summary>
public abstract class AttestationPublishingTests(PublishingServer server)
{
    private string Build(string project, string version, bool sdist = false)
    {
        var folder = Directory.CreateDirectory(Path.Combine(server.Dist, project)).FullName;
        return sdist ? DistributionBuilder.Sdist(folder, project, version) : DistributionBuilder.Wheel(folder, project, version);
    }

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    private async Task<HttpResponseMessage> UploadAsUvAsync(string token, string path, string project, string version, string attestations)
    {
        var isWheel = path.EndsWith(".whl", StringComparison.Ordinal);
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in new[]
        {
            (":action", "file_upload"), ("sha256_digest", Sha256(path)), ("protocol_version", "1"), ("metadata_version", "2.1"),
            ("name", project), ("version", version), ("filetype", isWheel ? "bdist_wheel" : "sdist"), ("pyversion", isWheel ? "py3" : "source"),
            ("summary", $"Test package {project}"), ("attestations", attestations),
        })
        {
            var part = new StringContent(value);
            part.Headers.ContentType = null; // reqwest's text parts carry none.
            form.Add(part, name);
        }

        form.Add(new StreamContent(File.OpenRead(path)), "content", Path.GetFileName(path)); // No part type, as uv.
        using var request = new HttpRequestMessage(HttpMethod.Post, server.UploadUrl) { Content = form };
        request.Headers.Accept.ParseAdd("application/json;q=0.9, text/plain;q=0.8, text/html;q=0.7");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"__token__:{token}")));
        using var http = new HttpClient();
        return await http.SendAsync(request);
    }

    private async Task<JsonDocument> JsonPageAsync(string project)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{server.Server.IndexUrl}{project}/");
        request.Headers.Accept.ParseAdd("application/vnd.pypi.simple.v1+json");
        using var response = await http.SendAsync(request);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Attested_uploads_by_the_trusted_publisher_are_listed_with_provenance_that_the_integrity_api_serves()
    {
        var wheel = Build("attested-ok", "1.0");
        var sdist = Build("attested-ok", "1.0", sdist: true);
        var token = await server.CreatePublisherTokenAsync("attested-ok");
        var sigstore = server.Sigstore;
        var wheelField = SigstoreTestAuthority.Field(sigstore.Attest(Path.GetFileName(wheel), Sha256(wheel)));
        var sdistField = SigstoreTestAuthority.Field(
            sigstore.Attest(Path.GetFileName(sdist), Sha256(sdist)),
            sigstore.Attest(Path.GetFileName(sdist), Sha256(sdist), new AttestationFaults { PredicateType = SigstoreTestAuthority.SlsaProvenancePredicate }));

        using var wheelUpload = await UploadAsUvAsync(token, wheel, "attested-ok", "1.0", wheelField);
        using var sdistUpload = await UploadAsUvAsync(token, sdist, "attested-ok", "1.0", sdistField);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (wheelUpload.StatusCode, sdistUpload.StatusCode));
        using var page = await JsonPageAsync("attested-ok");
        Assert.Equal("1.3", page.RootElement.GetProperty("meta").GetProperty("api-version").GetString());
        using var http = new HttpClient();
        foreach (var file in page.RootElement.GetProperty("files").EnumerateArray())
        {
            // Follow the advertised link, as a client would: absolute, on this server, the integrity API's type.
            var link = file.GetProperty("provenance").GetString()!;
            Assert.StartsWith(server.Server.BaseUrl + "/integrity/attested-ok/1.0/", link, StringComparison.Ordinal);
            using var request = new HttpRequestMessage(HttpMethod.Get, link);
            request.Headers.Accept.ParseAdd("application/vnd.pypi.integrity.v1+json");
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/vnd.pypi.integrity.v1+json", response.Content.Headers.ContentType!.MediaType);
            using var provenance = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var bundle = provenance.RootElement.GetProperty("attestation_bundles")[0];
            Assert.Equal(sigstore.Identity.Repository, bundle.GetProperty("publisher").GetProperty("repository").GetString());
            Assert.Equal(file.GetProperty("filename").GetString()!.EndsWith(".whl", StringComparison.Ordinal) ? 1 : 2, bundle.GetProperty("attestations").GetArrayLength());
        }

        var html = await http.GetStringAsync($"{server.Server.IndexUrl}attested-ok/");
        Assert.Equal(2, html.Split($"data-provenance=\"{server.Server.BaseUrl}/integrity/attested-ok/1.0/").Length - 1);

        // pip reads the 1.3 page (JSON, with provenance keys) as it reads any other.
        using var downloads = new TempFolder("pypilocal-attested-download");
        (await ProcessRunner.RunAsync("python3", ["-m", "pip", "download", "--no-deps", "--no-cache-dir", "--disable-pip-version-check", "--only-binary", ":all:",
            "-d", downloads.Path, "--index-url", server.Server.IndexUrl, "attested-ok==1.0"], server.ClientEnvironment(), TimeSpan.FromMinutes(2)))
            .EnsureSuccess("pip download from a page with provenance");
        Assert.Equal([Path.GetFileName(wheel)], Directory.GetFiles(downloads.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_tampered_signature_a_wrong_subject_digest_or_a_foreign_identity_is_refused_whole_and_leaves_nothing()
    {
        var wheel = Build("attested-bad", "1.0");
        var token = await server.CreatePublisherTokenAsync("attested-bad");
        var filename = Path.GetFileName(wheel);
        var cases = new (AttestationFaults Faults, string Reason)[]
        {
            (new AttestationFaults { TamperSignature = true }, "the envelope's signature does not verify with the signing certificate's key"),
            (new AttestationFaults { SubjectSha256 = new string('0', 64) }, "subject does not match distribution digest"),
            (new AttestationFaults { Identity = new SigningIdentity(Repository: "mallory/widgets") }, "is not the trusted publisher's repository (https://github.com/acme/widgets)"),
        };

        foreach (var (faults, reason) in cases)
        {
            using var response = await UploadAsUvAsync(token, wheel, "attested-bad", "1.0", SigstoreTestAuthority.Field(server.Sigstore.Attest(filename, Sha256(wheel), faults)));

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(reason, response.ReasonPhrase, StringComparison.Ordinal); // What twine prints.
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Contains(reason, body.RootElement.GetProperty("code").GetString(), StringComparison.Ordinal); // What uv prints.
        }

        Assert.DoesNotContain(await server.StoredNamesAsync(), n => n.Contains("attested_bad", StringComparison.Ordinal));
        Assert.Empty(await server.ListedFilesAsync("attested-bad"));
    }
}

public sealed class FolderAttestationPublishingTests(PublishingServer server) : AttestationPublishingTests(server), IClassFixture<PublishingServer>;

public sealed class S3AttestationPublishingTests(S3PublishingServer server) : AttestationPublishingTests(server), IClassFixture<S3PublishingServer>;
