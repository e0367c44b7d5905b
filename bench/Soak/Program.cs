using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using PypiLocal.Testing;
using Soak;

// The bounded soak of issue 12 (run by bench/soak.sh): three nodes over moto_server and redis-server on loopback,
// clients uploading, installing, yanking and deleting at random while faults are played at random; then every refused
// upload is retried and every acknowledged one checked on every node. Usage: Soak [minutes (≤ 10)] [report.md]
var minutes = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 5;
var report = args.Length > 1 ? args[1] : null;
if (minutes is <= 0 or > 10)
{
    Console.Error.WriteLine("soak: the duration is at most 10 minutes");
    return 2;
}

const int Workers = 4;
var loadBefore = File.ReadAllText("/proc/loadavg").Trim();
var clock = Stopwatch.StartNew();
await using var cluster = await Cluster.StartAsync(nodes: 3);
using var pip = await PythonEnvironment.CreateAsync();
var ledger = new Ledger();
var dist = Directory.CreateDirectory(Path.Combine(cluster.Root, "dist")).FullName;
using var clients = new Clients(cluster, ledger, dist);
Console.WriteLine($"soak: cluster up after {clock.Elapsed.TotalSeconds:F0} s: {string.Join(", ", cluster.NodeUrls)}; running {minutes} min");

using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(minutes));
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
var soakClock = Stopwatch.StartNew();
var faults = new Faults(cluster, ledger).RunAsync(stop.Token);
var workers = Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
{
    while (!stop.IsCancellationRequested)
    {
        await clients.OneAsync(w == 0 ? pip : null);

        // A client's think time, so four clients make a CI population's mix rather than a flood.
        await Task.Delay(RandomNumberGenerator.GetInt32(50, 300));
    }
})).ToList();
await Task.WhenAll([faults, .. workers]);
var soaked = soakClock.Elapsed;
var loadAfter = File.ReadAllText("/proc/loadavg").Trim();

Console.WriteLine($"soak: {ledger.Requests} requests and {ledger.Faults.Count} faults in {soaked.TotalSeconds:F0} s; retrying refused uploads and checking every node");
var check = new FinalCheck(cluster, ledger, clients);
await check.RunAsync();
await check.ExplainLossAsync();

if (Environment.GetEnvironmentVariable("SOAK_LOGS") is { Length: > 0 } logs)
{
    // moto's and the nodes' logs, for a post-mortem of a loss (which requests the store acknowledged, and when).
    await cluster.SaveLogsAsync(logs);
    Console.WriteLine($"soak: logs written to {logs}");
}

var text = Report.Write(minutes, soaked, loadBefore, loadAfter, ledger, check, cluster.UnhandledExceptions());
Console.WriteLine(text);
if (report is not null)
{
    await File.WriteAllTextAsync(report, text);
}

return check.Lost.Count == 0 && check.Blocked.Count == 0 ? 0 : 1;
