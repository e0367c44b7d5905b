using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using PypiLocal.Api.Tests.Support;
using PypiLocal.Testing;

namespace PypiLocal.Api.Tests.Publishing;

/// <summary>Publishing works the same on the bucket backend (an in-memory bucket here), not only on folders.</summary>
public sealed class BucketBackendPublishingTests : IDisposable
{
    private readonly PublishingApplication _app = new(new Dictionary<string, string> { ["Storage:Type"] = "Memory" });
    private readonly TempFolder _dist = new("pypilocal-api-dist");

    public void Dispose()
    {
        _app.Dispose();
        _dist.Dispose();
    }

    [Fact]
    public async Task Upload_duplicate_yank_and_delete_on_a_bucket()
    {
        using var client = _app.CreateClient();
        var wheel = DistributionBuilder.Wheel(_dist.Path, "bucket-demo", "1.0");

        using var created = await client.PostAsync("/legacy/", PublishingApplication.TwineForm(wheel, "bucket-demo", "1.0"));
        using var identical = await client.PostAsync("/legacy/", PublishingApplication.TwineForm(wheel, "bucket-demo", "1.0"));
        var downloaded = await client.GetByteArrayAsync("/packages/bucket-demo/bucket_demo-1.0-py3-none-any.whl");
        using var yank = await client.PostAsJsonAsync("/api/projects/bucket-demo/releases/1.0/yank", new { reason = "bad" });
        var yanked = await FileAsync(client);
        using var delete = await client.DeleteAsync("/api/projects/bucket-demo/files/bucket_demo-1.0-py3-none-any.whl");
        using var page = await client.GetAsync("/simple/bucket-demo/");

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, identical.StatusCode);
        Assert.Equal(SHA256.HashData(await File.ReadAllBytesAsync(wheel)), SHA256.HashData(downloaded));
        Assert.Equal(HttpStatusCode.OK, yank.StatusCode);
        Assert.Equal("bad", yanked.GetProperty("yanked").GetString());
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Empty(Directory.GetFiles(_app.Folder));
    }

    private static async Task<JsonElement> FileAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/simple/bucket-demo/");
        request.Headers.Accept.ParseAdd("application/vnd.pypi.simple.v1+json");
        using var response = await client.SendAsync(request);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("files")[0].Clone();
    }
}
