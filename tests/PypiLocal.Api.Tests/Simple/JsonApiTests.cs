using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PypiLocal.Api.Tests.Simple;

/// <summary>The PyPI JSON API (docs/protocol.md#pypi-json-api).</summary>
public sealed class JsonApiTests(SimpleIndexFixture fixture) : IClassFixture<SimpleIndexFixture>
{
    private readonly HttpClient _client = fixture.Factory.CreateRawClient();

    [Theory]
    [InlineData("/pypi/Foo_Bar/json", "/pypi/foo-bar/json")]
    [InlineData("/pypi/Foo.Bar/1.0/json", "/pypi/foo-bar/1.0/json")]
    public async Task Non_normalized_names_redirect(string path, string location)
    {
        using var response = await _client.GetAsync(path);

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal(location, response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task The_project_route_shows_the_newest_final_release_and_every_release()
    {
        using var response = await _client.GetAsync("/pypi/foo-bar/json/");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;

        Assert.Equal("2.0", root.GetProperty("info").GetProperty("version").GetString());
        Assert.Equal("Foo.Bar", root.GetProperty("info").GetProperty("name").GetString());
        Assert.Equal(["other"], root.GetProperty("info").GetProperty("requires_dist").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(JsonValueKind.Number, root.GetProperty("last_serial").ValueKind);
        Assert.Equal(["0.9", "1.0", "2.0"], root.GetProperty("releases").EnumerateObject().Select(p => p.Name).Order());
        foreach (var url in root.GetProperty("urls").EnumerateArray())
        {
            Assert.Matches("^[0-9a-f]{64}$", url.GetProperty("digests").GetProperty("sha256").GetString());
            Assert.Matches("^[0-9a-f]{32}$", url.GetProperty("digests").GetProperty("md5").GetString());
            Assert.Matches("^[0-9a-f]{64}$", url.GetProperty("digests").GetProperty("blake2b_256").GetString());
            Assert.Equal("bdist_wheel", url.GetProperty("packagetype").GetString());
            Assert.Equal("py3", url.GetProperty("python_version").GetString());
            Assert.DoesNotMatch("Z$", url.GetProperty("upload_time").GetString());
            Assert.Matches(new Regex(@"\.\d{6}Z$"), url.GetProperty("upload_time_iso_8601").GetString());
        }
    }

    [Fact]
    public async Task The_version_route_matches_by_canonical_version_and_has_no_releases()
    {
        using var json = JsonDocument.Parse(await _client.GetStringAsync("/pypi/foo-bar/1.0.0/json"));

        Assert.Equal("1.0", json.RootElement.GetProperty("info").GetProperty("version").GetString());
        Assert.False(json.RootElement.TryGetProperty("releases", out _));
        Assert.Equal(2, json.RootElement.GetProperty("urls").GetArrayLength());
    }

    [Theory]
    [InlineData("/pypi/foo-bar/7.0/json")]
    [InlineData("/pypi/nothing/json")]
    public async Task Unknown_projects_and_versions_are_404(string path)
    {
        using var response = await _client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
