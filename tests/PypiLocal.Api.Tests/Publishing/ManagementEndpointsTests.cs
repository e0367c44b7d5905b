using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PypiLocal.Api.Tests.Support;
using PypiLocal.Testing;

namespace PypiLocal.Api.Tests.Publishing;

/// <summary>Deleting and yanking over HTTP; the pages show the change at once (PEP 592).</summary>
public sealed class ManagementEndpointsTests : IAsyncLifetime
{
    private readonly PublishingApplication _app = new();
    private readonly TempFolder _dist = new("pypilocal-api-dist");
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _client = _app.CreateClient();
        foreach (var version in new[] { "1.0", "2.0" })
        {
            var wheel = DistributionBuilder.Wheel(_dist.Path, "demo", version);
            (await _client.PostAsync("/legacy/", PublishingApplication.TwineForm(wheel, "demo", version))).EnsureSuccessStatusCode();
            var sdist = DistributionBuilder.Sdist(_dist.Path, "demo", version);
            (await _client.PostAsync("/legacy/", PublishingApplication.TwineForm(sdist, "demo", version))).EnsureSuccessStatusCode();
        }
    }

    public Task DisposeAsync()
    {
        _client.Dispose();
        _app.Dispose();
        _dist.Dispose();
        return Task.CompletedTask;
    }

    private async Task<Dictionary<string, JsonElement>> FilesAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/simple/demo/");
        request.Headers.Accept.ParseAdd("application/vnd.pypi.simple.v1+json");
        using var response = await _client.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return [];
        }

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("files").EnumerateArray().ToDictionary(f => f.GetProperty("filename").GetString()!, f => f.GetProperty("yanked").Clone());
    }

    [Fact]
    public async Task Yanking_a_release_with_a_reason_shows_in_the_page_and_unyanking_undoes_it()
    {
        using var yank = await _client.PostAsJsonAsync("/api/projects/Demo/releases/1.0.0/yank", new { reason = "broken build" });
        var yanked = await FilesAsync();
        var html = await _client.GetStringAsync("/simple/demo/");
        using var unyank = await _client.PostAsync("/api/projects/demo/releases/1.0/unyank", null);
        var after = await FilesAsync();

        Assert.Equal(HttpStatusCode.OK, yank.StatusCode);
        Assert.Equal("broken build", yanked["demo-1.0-py3-none-any.whl"].GetString());
        Assert.Equal("broken build", yanked["demo-1.0.tar.gz"].GetString());
        Assert.False(yanked["demo-2.0-py3-none-any.whl"].GetBoolean());
        Assert.Contains("data-yanked=\"broken build\">demo-1.0-py3-none-any.whl</a>", html);
        Assert.Equal(HttpStatusCode.OK, unyank.StatusCode);
        Assert.All(after.Values, v => Assert.False(v.GetBoolean()));
    }

    [Fact]
    public async Task Yanking_one_file_with_a_query_reason()
    {
        using var response = await _client.PostAsync("/api/projects/demo/files/demo-2.0.tar.gz/yank?reason=wrong%20file", null);
        var files = await FilesAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("wrong file", files["demo-2.0.tar.gz"].GetString());
        Assert.False(files["demo-2.0-py3-none-any.whl"].GetBoolean());
    }

    [Fact]
    public async Task Yanking_without_a_reason_shows_true_never_an_empty_reason()
    {
        using var response = await _client.PostAsync("/api/projects/demo/files/demo-2.0.tar.gz/yank", null);

        Assert.Equal(JsonValueKind.True, (await FilesAsync())["demo-2.0.tar.gz"].ValueKind);
    }

    [Fact]
    public async Task Deleting_a_file_and_a_release()
    {
        using var file = await _client.DeleteAsync("/api/projects/demo/files/demo-2.0.tar.gz");
        using var release = await _client.DeleteAsync("/api/projects/demo/releases/1.0");
        using var missing = await _client.DeleteAsync("/api/projects/demo/releases/1.0");

        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal(HttpStatusCode.OK, release.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(["demo-2.0-py3-none-any.whl"], (await FilesAsync()).Keys);
    }

    [Fact]
    public async Task Management_needs_update_rights()
    {
        using var anonymous = _app.CreateClient(user: null);
        using var scoped = _app.CreateClient("__token__", await _app.CreateTokenAsync("other"));

        using var noCredentials = await anonymous.DeleteAsync("/api/projects/demo/releases/1.0");
        using var otherProject = await scoped.DeleteAsync("/api/projects/demo/releases/1.0");

        Assert.Equal(HttpStatusCode.Unauthorized, noCredentials.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherProject.StatusCode);
        Assert.Equal(4, (await FilesAsync()).Count);
    }
}
