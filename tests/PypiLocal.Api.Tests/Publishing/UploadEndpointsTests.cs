using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using PypiLocal.Api.Tests.Support;
using PypiLocal.Testing;

namespace PypiLocal.Api.Tests.Publishing;

/// <summary>The upload API over HTTP (docs/protocol.md#upload-checks, #upload-answers).</summary>
public sealed class UploadEndpointsTests : IDisposable
{
    private readonly PublishingApplication _app = new();
    private readonly TempFolder _dist = new("pypilocal-api-dist");

    public void Dispose()
    {
        _app.Dispose();
        _dist.Dispose();
    }

    private string Wheel(string name = "demo", string version = "1.0") => DistributionBuilder.Wheel(_dist.Path, name, version);

    [Theory]
    [InlineData("/legacy/")]
    [InlineData("/legacy")]
    [InlineData("/")]
    public async Task A_twine_style_upload_is_stored_and_listed_at_once(string path)
    {
        using var client = _app.CreateClient();

        using var response = await client.PostAsync(path, PublishingApplication.TwineForm(Wheel(), "demo", "1.0"));
        var page = await client.GetStringAsync("/simple/demo/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("demo-1.0-py3-none-any.whl", page);
        Assert.True(File.Exists(Path.Combine(_app.Folder, "demo-1.0-py3-none-any.whl")));
        Assert.Empty(Directory.Exists(_app.StagingDirectory) ? Directory.GetFiles(_app.StagingDirectory) : []);
    }

    [Fact]
    public async Task A_token_upload_works()
    {
        var token = await _app.CreateTokenAsync();
        using var client = _app.CreateClient("__token__", token);

        using var response = await client.PostAsync("/legacy/", PublishingApplication.TwineForm(Wheel(), "demo", "1.0"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_token_for_another_project_is_refused_with_403()
    {
        var token = await _app.CreateTokenAsync("other");
        using var client = _app.CreateClient("__token__", token);

        using var response = await client.PostAsync("/legacy/", PublishingApplication.TwineForm(Wheel(), "demo", "1.0"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("may not upload to project 'demo'", response.ReasonPhrase);
    }

    [Fact]
    public async Task Missing_credentials_get_401_with_a_Basic_challenge()
    {
        using var client = _app.CreateClient(user: null);

        using var response = await client.PostAsync("/legacy/", PublishingApplication.TwineForm(Wheel(), "demo", "1.0"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic realm=\"pypilocal\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData("alice", "wrong")]
    [InlineData("__token__", "pypilocal-not-a-token")]
    public async Task Wrong_credentials_get_403_with_the_reason_in_the_status_line_and_body(string user, string password)
    {
        using var client = _app.CreateClient(user, password);

        using var response = await client.PostAsync("/legacy/", PublishingApplication.TwineForm(Wheel(), "demo", "1.0"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Invalid or non-existent authentication information.", response.ReasonPhrase);
        Assert.Contains("Invalid or non-existent authentication information.", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Protocol_version_2_is_refused_with_the_reason()
    {
        using var client = _app.CreateClient();

        using var response = await client.PostAsync("/legacy/", PublishingApplication.TwineForm(Wheel(), "demo", "1.0", f => f["protocol_version"] = "2"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Unknown protocol version.", response.ReasonPhrase);
    }

    [Fact]
    public async Task A_form_without_content_is_refused()
    {
        using var client = _app.CreateClient();
        using var form = new MultipartFormDataContent { { new StringContent("file_upload"), ":action" }, { new StringContent("demo"), "name" } };

        using var response = await client.PostAsync("/legacy/", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_content_part_without_Content_Type_is_accepted_as_uv_sends_it()
    {
        using var client = _app.CreateClient();

        using var response = await client.PostAsync("/legacy/", PublishingApplication.TwineForm(Wheel(), "demo", "1.0", fileContentType: false));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_action_may_come_in_the_query_string()
    {
        using var client = _app.CreateClient();

        using var response = await client.PostAsync("/legacy/?:action=file_upload", PublishingApplication.TwineForm(Wheel(), "demo", "1.0", f => f.Remove(":action")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_identical_reupload_is_200_and_other_bytes_are_409_File_already_exists()
    {
        using var client = _app.CreateClient();
        var wheel = Wheel();
        (await client.PostAsync("/legacy/", PublishingApplication.TwineForm(wheel, "demo", "1.0"))).EnsureSuccessStatusCode();

        using var identical = await client.PostAsync("/legacy/", PublishingApplication.TwineForm(wheel, "demo", "1.0"));
        File.Delete(wheel);
        DistributionBuilder.Wheel(_dist.Path, "demo", "1.0", paddingBytes: 10);
        using var conflict = await client.PostAsync("/legacy/", PublishingApplication.TwineForm(wheel, "demo", "1.0"));

        Assert.Equal(HttpStatusCode.OK, identical.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.StartsWith("File already exists", conflict.ReasonPhrase);
        Assert.Contains("File already exists", await conflict.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_error_for_a_client_preferring_JSON_is_plain_application_json_with_a_code()
    {
        using var client = _app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/legacy/") { Content = PublishingApplication.TwineForm(Wheel(), "demo", "1.0", f => f["protocol_version"] = "2") };
        request.Headers.Accept.ParseAdd("application/json;q=0.9, text/plain;q=0.8, text/html;q=0.7");

        using var response = await client.SendAsync(request);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal("application/json", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("400 Unknown protocol version.", json.RootElement.GetProperty("code").GetString());
        Assert.Equal("Unknown protocol version.", json.RootElement.GetProperty("message").GetString());
        Assert.Equal("Bad Request", json.RootElement.GetProperty("title").GetString());
    }

    [Theory]
    [InlineData("/simple/")]
    [InlineData("/simple/demo/")]
    public async Task Posting_to_an_index_url_is_405(string path)
    {
        using var client = _app.CreateClient();

        using var response = await client.PostAsync(path, PublishingApplication.TwineForm(Wheel(), "demo", "1.0"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task A_file_over_the_limit_is_413_and_leaves_nothing()
    {
        using var app = new PublishingApplication(new Dictionary<string, string> { ["Publishing:MaxFileSizeBytes"] = "1000" });
        using var client = app.CreateClient();
        var big = DistributionBuilder.Wheel(_dist.Path, "demo", "1.0", paddingBytes: 5000);

        using var response = await client.PostAsync("/legacy/", PublishingApplication.TwineForm(big, "demo", "1.0"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(Directory.GetFiles(app.Folder));
        Assert.Empty(Directory.Exists(app.StagingDirectory) ? Directory.GetFiles(app.StagingDirectory) : []);
    }

    [Fact]
    public async Task Not_a_form_is_400()
    {
        using var client = _app.CreateClient();

        using var response = await client.PostAsync("/legacy/", new StringContent("{}", new MediaTypeHeaderValue("application/json")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("multipart/form-data", response.ReasonPhrase);
    }

    [Fact]
    public async Task A_urlencoded_upload_has_no_file()
    {
        using var client = _app.CreateClient();

        using var response = await client.PostAsync("/legacy/", new StringContent(":action=file_upload&name=demo", new MediaTypeHeaderValue("application/x-www-form-urlencoded")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Pypiserver_remove_pkg_removes_the_release()
    {
        using var client = _app.CreateClient();
        (await client.PostAsync("/legacy/", PublishingApplication.TwineForm(Wheel(), "demo", "1.0"))).EnsureSuccessStatusCode();
        using var form = new MultipartFormDataContent { { new StringContent("remove_pkg"), ":action" }, { new StringContent("demo"), "name" }, { new StringContent("1.0"), "version" } };

        using var response = await client.PostAsync("/", form);
        using var again = await client.PostAsync("/", new MultipartFormDataContent { { new StringContent("remove_pkg"), ":action" }, { new StringContent("demo"), "name" }, { new StringContent("1.0"), "version" } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(File.Exists(Path.Combine(_app.Folder, "demo-1.0-py3-none-any.whl")));
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task A_uv_style_upload_with_sha256_and_blake2_only_succeeds()
    {
        using var client = _app.CreateClient("__token__", await _app.CreateTokenAsync());
        var wheel = Wheel();
        var blake2 = Convert.ToHexStringLower(PypiLocal.Core.Hashing.FileDigester.Blake2b256(await File.ReadAllBytesAsync(wheel)));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/legacy/")
        {
            Content = PublishingApplication.TwineForm(wheel, "demo", "1.0", f =>
            {
                f.Remove("md5_digest");
                f["blake2_256_digest"] = blake2;
                f["metadata_version"] = "2.4";
            }, fileContentType: false),
        };
        request.Headers.Accept.ParseAdd("application/json;q=0.9, text/plain;q=0.8, text/html;q=0.7");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Uploads_named_foo_bar_Foo_Bar_and_foo_dash_bar_land_in_one_project()
    {
        using var client = _app.CreateClient();
        var names = new[] { ("foo_bar", "1.0"), ("Foo.Bar", "2.0"), ("foo-bar", "3.0") };

        foreach (var (name, version) in names)
        {
            using var response = await client.PostAsync("/legacy/", PublishingApplication.TwineForm(DistributionBuilder.Wheel(_dist.Path, name, version), name, version));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var page = await client.GetStringAsync("/simple/foo-bar/");
        Assert.Contains("foo_bar-1.0-py3-none-any.whl", page);
        Assert.Contains("foo_bar-2.0-py3-none-any.whl", page);
        Assert.Contains("foo_bar-3.0-py3-none-any.whl", page);
    }

    [Fact]
    public async Task An_unknown_action_is_400_as_pypiserver_answers_it()
    {
        using var client = _app.CreateClient();

        using var response = await client.PostAsync("/legacy/", new MultipartFormDataContent { { new StringContent("frobnicate"), ":action" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Unsupported ':action' field: frobnicate", response.ReasonPhrase);
    }

    [Theory]
    [InlineData("submit")]
    [InlineData("verify")]
    [InlineData("doc_upload")]
    public async Task Register_verify_and_doc_upload_are_accepted_and_ignored_as_pypiserver_does(string action)
    {
        using var client = _app.CreateClient();

        using var response = await client.PostAsync("/", new MultipartFormDataContent { { new StringContent(action), ":action" }, { new StringContent("demo"), "name" } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_staging_folder_that_cannot_be_written_is_a_retryable_503_never_an_empty_200()
    {
        var notAFolder = Path.Combine(_dist.Path, "occupied");
        await File.WriteAllTextAsync(notAFolder, "a file where the staging folder should be");
        using var app = new PublishingApplication(new Dictionary<string, string> { ["Publishing:StagingDirectory"] = notAFolder });
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/legacy/", PublishingApplication.TwineForm(Wheel(), "demo", "1.0"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Empty(Directory.GetFiles(app.Folder));
    }

    [Fact]
    public async Task Remove_pkg_also_comes_as_a_plain_urlencoded_form()
    {
        using var client = _app.CreateClient();
        (await client.PostAsync("/legacy/", PublishingApplication.TwineForm(Wheel(), "demo", "1.0"))).EnsureSuccessStatusCode();

        using var response = await client.PostAsync("/", new FormUrlEncodedContent(new Dictionary<string, string> { [":action"] = "remove_pkg", ["name"] = "demo", ["version"] = "1.0" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(File.Exists(Path.Combine(_app.Folder, "demo-1.0-py3-none-any.whl")));
    }
}
