using System.Net;
using System.Text.Json;
using PypiLocal.Api.Tests.Support;
using PypiLocal.Testing;

namespace PypiLocal.Api.Tests.Simple;

/// <summary>PEP 792 project status set by the operator (docs/protocol.md#project-status).</summary>
public sealed class ProjectStatusTests : IDisposable
{
    private readonly PublishingApplication _app = new(new Dictionary<string, string>
    {
        ["Projects:Bad_Lib:Status"] = "quarantined",
        ["Projects:Bad_Lib:StatusReason"] = "malware report",
        ["Projects:old-lib:Status"] = "archived",
    });

    public ProjectStatusTests()
    {
        DistributionBuilder.Wheel(_app.Folder, "bad-lib", "1.0");
        DistributionBuilder.Wheel(_app.Folder, "old-lib", "1.0");
    }

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task A_quarantined_project_lists_no_files_serves_none_and_takes_no_uploads()
    {
        using var client = _app.CreateClient();

        using var page = await GetJsonAsync(client, "/simple/bad-lib/");
        Assert.Equal("1.4", page.RootElement.GetProperty("meta").GetProperty("api-version").GetString());
        Assert.Equal("quarantined", page.RootElement.GetProperty("project-status").GetProperty("status").GetString());
        Assert.Equal("malware report", page.RootElement.GetProperty("project-status").GetProperty("reason").GetString());
        Assert.Equal(0, page.RootElement.GetProperty("files").GetArrayLength());
        var html = await client.GetStringAsync("/simple/bad-lib/");
        Assert.Contains("<meta name=\"pypi:project-status\" content=\"quarantined\">", html);
        Assert.Contains("<meta name=\"pypi:repository-version\" content=\"1.4\">", html);
        Assert.DoesNotContain("<a ", html);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/packages/bad-lib/{DistributionBuilder.WheelFilename("bad-lib", "1.0")}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/pypi/bad-lib/json")).StatusCode);

        using var staging = new TempFolder();
        using var upload = await client.PostAsync("/legacy/", PublishingApplication.TwineForm(DistributionBuilder.Wheel(staging.Path, "bad-lib", "2.0"), "bad-lib", "2.0"));
        Assert.Equal(HttpStatusCode.Forbidden, upload.StatusCode);
        Assert.Contains("quarantined", upload.ReasonPhrase);
    }

    [Fact]
    public async Task An_archived_project_still_serves_its_files_but_takes_no_uploads()
    {
        using var client = _app.CreateClient();

        using var page = await GetJsonAsync(client, "/simple/old-lib/");
        Assert.Equal("archived", page.RootElement.GetProperty("project-status").GetProperty("status").GetString());
        Assert.Equal(1, page.RootElement.GetProperty("files").GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/packages/old-lib/{DistributionBuilder.WheelFilename("old-lib", "1.0")}")).StatusCode);

        using var staging = new TempFolder();
        using var upload = await client.PostAsync("/legacy/", PublishingApplication.TwineForm(DistributionBuilder.Wheel(staging.Path, "old-lib", "2.0"), "old-lib", "2.0"));
        Assert.Equal(HttpStatusCode.Forbidden, upload.StatusCode);
        Assert.Contains("archived", await upload.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Projects_without_a_status_keep_api_version_1_1_and_no_status_key()
    {
        DistributionBuilder.Wheel(_app.Folder, "plain", "1.0");
        using var client = _app.CreateClient();
        await Task.Delay(400);

        using var page = await GetJsonAsync(client, "/simple/plain/");

        Assert.Equal("1.1", page.RootElement.GetProperty("meta").GetProperty("api-version").GetString());
        Assert.False(page.RootElement.TryGetProperty("project-status", out _));
    }

    private static async Task<JsonDocument> GetJsonAsync(HttpClient client, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("application/vnd.pypi.simple.v1+json");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }
}
