using System.Security.Cryptography;
using PypiLocal.Testing;

namespace Soak;

/// <summary>
/// Plays one fault at a time at random moments: a relay between a node (or every node) and the store that cuts,
/// stalls or corrupts; kill -9 of a node and its restart; Redis stopped and started; the S3 server stopped and started.
/// Each lasts a few seconds, then is healed; the pauses between them are random too.
/// </summary>
internal sealed class Faults(Cluster cluster, Ledger ledger)
{
    public static readonly string[] AllKinds = ["cut", "stall", "corrupt", "kill -9", "redis restart", "s3 restart"];

    /// <summary>The kinds played: all, or those SOAK_FAULTS names (comma-separated), to narrow down what a loss needs.</summary>
    private static readonly string[] Kinds = Environment.GetEnvironmentVariable("SOAK_FAULTS") is { Length: > 0 } chosen
        ? [.. chosen.Split(',', StringSplitOptions.TrimEntries).Where(AllKinds.Contains)]
        : AllKinds;

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Seconds(6, 15), stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await PlayAsync(Kinds[RandomNumberGenerator.GetInt32(Kinds.Length)]);
        }
    }

    /// <summary>One fault, from its start to its healing (never cancelled midway: the soak ends on a healed cluster).</summary>
    private async Task PlayAsync(string kind)
    {
        var lasts = Seconds(2, 6);
        var node = RandomNumberGenerator.GetInt32(cluster.NodeCount);
        var relays = RandomNumberGenerator.GetInt32(2) == 0 ? [cluster.RelayOf(node)] : Enumerable.Range(0, cluster.NodeCount).Select(cluster.RelayOf).ToArray();
        var where = relays.Length == 1 ? $"node {node}'s store connection" : "every node's store connection";
        switch (kind)
        {
            case "cut" or "stall" or "corrupt":
                ledger.Fault($"{kind} {where} for {lasts.TotalSeconds:F0} s");
                foreach (var relay in relays)
                {
                    Apply(relay, kind);
                }

                await Task.Delay(lasts);
                foreach (var relay in relays)
                {
                    relay.Restore();
                }

                break;
            case "kill -9":
                ledger.Fault($"kill -9 node {node}, restarted after {lasts.TotalSeconds:F0} s");
                await cluster.KillNodeAsync(node);
                await Task.Delay(lasts);
                await cluster.StartNodeAsync(node);
                break;
            case "redis restart":
                ledger.Fault($"redis-server stopped for {lasts.TotalSeconds:F0} s");
                await cluster.StopRedisAsync();
                await Task.Delay(lasts);
                await cluster.StartRedisAsync();
                break;
            default:
                ledger.Fault($"S3 server stopped for {lasts.TotalSeconds:F0} s");
                await cluster.StopStoreAsync();
                await Task.Delay(lasts);
                await cluster.StartStoreAsync();
                break;
        }
    }

    private static void Apply(TcpRelay relay, string kind)
    {
        switch (kind)
        {
            case "cut": relay.Cut(); break;
            case "stall": relay.Stall(); break;

            // One byte flipped somewhere in the next 256 KiB sent to the store (headers or body).
            default: relay.Corrupt(TcpRelay.Direction.ToServer, RandomNumberGenerator.GetInt32(256 * 1024)); break;
        }
    }

    private static TimeSpan Seconds(int from, int to) => TimeSpan.FromMilliseconds(RandomNumberGenerator.GetInt32(from * 1000, to * 1000));
}
