using System.Net;
using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.Storage;

/// <summary>An object store that cannot be reached: clear 503s with Retry-After, unhealthy /health, and recovery by itself.</summary>
public sealed class StorageOutageTests
{
    [Fact]
    public async Task Pages_answer_503_with_retry_after_while_the_store_is_down_and_recover_when_it_is_back()
    {
        // Started once for its credentials (the same on every start), then down while the node starts.
        await using var store = await MotoServer.StartAsync();
        await store.StopAsync();
        await using var node = await PypiLocalServer.StartAsync(["serve"], new Dictionary<string, string?> { ["ConnectionStrings__storage"] = store.ConnectionString });
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        using (var down = await http.GetAsync(node.IndexUrl))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            Assert.NotNull(down.Headers.RetryAfter);
            Assert.Contains("storage is unavailable", await down.Content.ReadAsStringAsync());
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync(node.BaseUrl + "/health")).StatusCode);

        await store.StartAsync();

        using var up = await http.GetAsync(node.IndexUrl);
        Assert.Equal(HttpStatusCode.OK, up.StatusCode);

        // /health keeps its storage answer for a few seconds (probes cost no storage call each), so it turns
        // healthy within that time rather than at once.
        Assert.True(
            await Eventually.TrueAsync(async () => (await http.GetAsync(node.BaseUrl + "/health")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(20)),
            "/health did not turn healthy after the store came back");
        Assert.True(!node.Log.Contains("   at ", StringComparison.Ordinal), node.Log);
    }
}
