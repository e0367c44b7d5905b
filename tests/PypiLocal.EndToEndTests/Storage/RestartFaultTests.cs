using System.Net;
using PypiLocal.EndToEndTests.Support;
using PypiLocal.Testing;
using Xunit.Abstractions;

namespace PypiLocal.EndToEndTests.Storage;

/// <summary>
/// The fault suite's restarts: uploads go through three nodes while their Redis, then their S3 server (moto_server,
/// checking signatures, keeping its objects over a restart as a real store does), is stopped and started again. Redis
/// only caches, so its outage refuses nothing; the store's outage refuses uploads with 503 and Retry-After, which twine
/// shows. Afterwards every refused upload succeeds when retried, and every wheel is listed with its sha256 and downloads
/// with it through every node.
/// </summary>
public sealed class RestartFaultTests(RestartCluster cluster, ITestOutputHelper output) : IClassFixture<RestartCluster>
{
    private IReadOnlyList<PypiLocalServer> Nodes => cluster.Nodes;

    [Fact]
    public async Task Uploads_through_three_nodes_are_all_acknowledged_and_kept_while_redis_is_stopped_and_restarted()
    {
        var (attempts, _) = await UploadThroughAsync("redis-restart", cluster.Redis.StopAsync, cluster.Redis.StartAsync, twineSucceedsDuringOutage: true);

        // Redis is a cache: while it is away every node stores and answers from the bucket.
        Assert.All(attempts, a => Assert.True(a.Acknowledged, $"{Path.GetFileName(a.Wheel)} through {a.Node} answered {a.Status} {a.Reason} during the Redis restart"));
    }

    [Fact]
    public async Task Uploads_refused_while_the_s3_server_is_stopped_answer_503_and_succeed_when_retried_after_its_restart()
    {
        var (attempts, twine) = await UploadThroughAsync("s3-restart", cluster.Moto.StopAsync, cluster.Moto.StartAsync, twineSucceedsDuringOutage: false);

        // A refusal is the storage outage's 503 with Retry-After, never a 500 or a conflict that would block the retry.
        Assert.Contains(attempts, a => !a.Acknowledged);
        Assert.All(attempts.Where(a => !a.Acknowledged), a => Assert.True(
            a.Status == (int)HttpStatusCode.ServiceUnavailable && a.RetryAfter,
            $"{Path.GetFileName(a.Wheel)} through {a.Node} answered {a.Status} {a.Reason} during the S3 restart; the nodes logged:\n{cluster.Failures()}"));
        Assert.NotEqual(0, twine.ExitCode);
        Assert.Contains("503", twine.Output, StringComparison.Ordinal);
        Assert.Contains("storage is unavailable", twine.Output, StringComparison.Ordinal);
        Assert.True(cluster.Failures().Length == 0, cluster.Failures());
    }

    [Fact]
    public async Task A_node_started_after_the_s3_servers_restart_finds_every_object_kept()
    {
        // A node sends CreateBucket as it starts: the restarted store must answer it keeping the bucket it loaded, as S3
        // does. moto answered with a new, empty bucket, and the soak counted that as the product losing uploads.
        const string project = "start-after-s3-restart";
        var wheel = DistributionBuilder.Wheel(Path.Combine(cluster.Root, project), project, "1.0");
        (await Twine.UploadAsync(Nodes[0].BaseUrl + "/legacy/", cluster.Root, wheel)).EnsureSuccess("twine before the S3 restart");
        await cluster.Moto.StopAsync();
        await cluster.Moto.StartAsync();

        await using var started = await cluster.StartNodeAsync(staging: 3);
        await KeptUploads.AssertKeptAsync([started, .. Nodes], project, [wheel], "S3 restart, then a node's start");
    }

    /// <summary>
    /// Uploads through the three nodes while <paramref name="stop"/> and <paramref name="start"/> play the fault, one twine
    /// upload while it is down; then retries what was refused (twine's with twine) and checks that every wheel is kept.
    /// </summary>
    private async Task<(IReadOnlyList<UploadLoad.Attempt> Attempts, ProcessResult Twine)> UploadThroughAsync(
        string project, Func<Task> stop, Func<Task> start, bool twineSucceedsDuringOutage)
    {
        var dist = Directory.CreateDirectory(Path.Combine(cluster.Root, project)).FullName;
        var twineWheel = DistributionBuilder.Wheel(Path.Combine(cluster.Root, project + "-twine"), project, "0.1");
        ProcessResult twine;
        IReadOnlyList<UploadLoad.Attempt> attempts;
        await using (var load = UploadLoad.Start(Nodes, dist, project))
        {
            await load.WaitForMoreAsync(3, a => a.Acknowledged, "acknowledged uploads before the fault");
            await stop();
            twine = await Twine.UploadAsync(Nodes[0].BaseUrl + "/legacy/", cluster.Root, twineWheel);
            await load.WaitForMoreAsync(6, _ => true, "answers while it is down");
            await start();
            await load.WaitForMoreAsync(3, a => a.Acknowledged, "acknowledged uploads after the restart");
            await load.StopAsync();
            attempts = load.Attempts;

            // Every refusal is retried through another node than its first, once the fault is gone. Right after the
            // restart a node may still answer the outage's 503 for a moment; anything else (a 409 above all) blocks it.
            foreach (var refused in attempts.Where(a => !a.Acknowledged))
            {
                var node = Nodes[(Nodes.ToList().FindIndex(n => n.BaseUrl == refused.Node) + 1) % Nodes.Count];
                var retry = refused;
                var kept = await Eventually.TrueAsync(
                    async () =>
                    {
                        retry = await load.PostAsync(node, refused.Wheel);
                        Assert.True(retry.Acknowledged || retry.Status == (int)HttpStatusCode.ServiceUnavailable, $"retrying {Path.GetFileName(refused.Wheel)} answered {retry.Status} {retry.Reason}");
                        return retry.Acknowledged;
                    },
                    TimeSpan.FromSeconds(30));
                Assert.True(kept, $"retrying {Path.GetFileName(refused.Wheel)} (first {refused.Status} {refused.Reason}) still answered {retry.Status} {retry.Reason} after 30 s");
            }
        }

        Assert.True(twineSucceedsDuringOutage == (twine.ExitCode == 0), $"twine during the '{project}' fault:\n{twine.Output}");
        if (twine.ExitCode != 0)
        {
            (await Twine.UploadAsync(Nodes[1].BaseUrl + "/legacy/", cluster.Root, twineWheel)).EnsureSuccess($"twine retrying after the '{project}' fault");
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await KeptUploads.AssertKeptAsync(Nodes, project, [twineWheel, .. attempts.Select(a => a.Wheel)], project);
        output.WriteLine($"{project}: {UploadLoad.Describe(attempts)}; checked on every node in {clock.Elapsed.TotalSeconds:F1} s");
        return (attempts, twine);
    }
}
