using System.Text;
using PypiLocal.Protocol.Simple;
using PypiLocal.Testing;

namespace PypiLocal.Infrastructure.Tests.Caching;

/// <summary>
/// A node cut off from a Redis that keeps its data: the node's invalidation is lost meanwhile, so when it
/// reconnects it must distrust every page (advance the epoch, clear every node's near layer) by itself.
/// </summary>
[Collection(RedisTimingCollection.Name)]
public sealed class RedisPartitionTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task After_a_partition_the_reconnecting_node_advances_the_epoch_so_no_node_serves_the_page_its_lost_invalidation_covered()
    {
        await using var proxy = TcpRelay.Start(redis.Server.Port);
        var prefix = RedisFixture.UniquePrefix();
        var catalog = new SharedCatalog();
        catalog.Add("demo", "1.0");
        await using var cutOff = RedisFixture.Node($"127.0.0.1:{proxy.Port}", prefix);
        await using var healthy = RedisFixture.Node(redis.Server, prefix);
        var pagesOnHealthy = RedisFixture.Pages(catalog, healthy);
        Assert.Contains("demo-1.0", await ReadAsync(pagesOnHealthy));
        Assert.Contains("demo-1.0", await ReadAsync(pagesOnHealthy));
        Assert.False(cutOff.IsDegraded);

        proxy.Cut();
        await WaitUntilAsync(() => cutOff.IsDegraded, "the cut-off node notices");
        catalog.Add("demo", "2.0");
        await cutOff.InvalidateProjectAsync("demo", default);

        // The outage window (a documented limit): Redis still holds the old page and the other node may serve
        // it, or render afresh if its own Redis call times out on a loaded machine; either answer is allowed.
        await ReadAsync(pagesOnHealthy);

        proxy.Restore();

        // As in a deployment, health probes (and traffic) keep asking; recovery happens on one of them.
        await WaitUntilAsync(() => cutOff.ProbeAsync(default).GetAwaiter().GetResult() && !cutOff.IsDegraded, "the cut-off node reconnects and recovers by itself");

        Assert.Contains("demo-2.0", await ReadAsync(pagesOnHealthy));
        Assert.Contains("demo-2.0", await ReadAsync(RedisFixture.Pages(catalog, cutOff)));
    }

    private static async Task<string> ReadAsync(Core.Pages.IndexPageService pages) =>
        Encoding.UTF8.GetString((await pages.GetProjectAsync("demo", SimpleMediaType.JsonV1, default))!.Body);

    // Generous: reconnect backoff stretches when the machine is busy with other tests.
    private static async Task WaitUntilAsync(Func<bool> condition, string what) =>
        Assert.True(await Eventually.TrueAsync(condition, TimeSpan.FromSeconds(60)), $"timed out waiting until {what}");
}
