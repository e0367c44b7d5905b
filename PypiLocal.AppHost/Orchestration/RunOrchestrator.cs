using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using PypiLocal.AppHost.Hosting;

namespace PypiLocal.AppHost.Orchestration;

/// <summary>
/// Run mode (Aspire's DCP, in small): starts the backing resources, waits for their health, starts the api
/// replicas with Aspire's environment, keeps healthy replicas behind the balancer, restarts replicas that die,
/// and on shutdown stops every process it started.
/// </summary>
internal sealed class RunOrchestrator(
    DistributedApplicationBuilder model,
    BackingServiceResolver resolver,
    LoadBalancer balancer,
    ConsoleOutput output,
    IHostApplicationLifetime lifetime) : BackgroundService
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(20);

    private readonly List<ManagedProcess> _backing = [];
    private readonly List<Replica> _replicas = [];
    private readonly Lock _lock = new();

    public string BalancerUrl { get; set; } = "";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Start nothing until the balancer listens: a taken port then leaves nothing behind, and a fatal
            // error below never stops the host while it is still starting.
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            {
                await started.Task.WaitAsync(stoppingToken);
            }
            await RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        catch (Exception e)
        {
            // Anything else is fatal too: say why, stop everything, exit non-zero.
            output.Info($"error: {e.Message}");
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        // Checked first: a missing build should not cost a Redis and an S3 start.
        model.Resources.OfType<ProjectResource>().ToList().ForEach(p => ApiAssembly(p));
        var available = new HashSet<string>();
        var starts = new List<Task<bool>>();
        foreach (var resource in model.Resources.OfType<IResourceWithConnectionString>())
        {
            var launch = resource switch
            {
                RedisResource redis => resolver.ResolveRedis(redis, FreePort),
                MinioContainerResource minio => resolver.ResolveStorage(minio, FreePort),
                _ => throw new InvalidOperationException($"No way to run {resource.Name}."),
            };
            if (launch.Kind == LaunchKind.Unavailable)
            {
                output.Info($"{resource.Name,-12} unavailable: {launch.Description}");
                continue;
            }
            available.Add(resource.Name);
            starts.Add(StartBackingAsync(resource, launch, stoppingToken));
        }
        if ((await Task.WhenAll(starts)).Any(healthy => !healthy))
        {
            throw new InvalidOperationException("a resource did not become healthy; stopping.");
        }

        foreach (var project in model.Resources.OfType<ProjectResource>())
        {
            var fallback = EmbeddedFallback(project, available);
            await RunReplicasAsync(project, available, fallback, stoppingToken);
        }
    }

    private async Task<bool> StartBackingAsync(IResourceWithConnectionString resource, BackingLaunch launch, CancellationToken stoppingToken)
    {
        var name = resource.Name;
        Task? exited = null;
        if (launch.Spec is { } spec)
        {
            var process = new ManagedProcess(name, spec, output);
            lock (_lock)
            {
                stoppingToken.ThrowIfCancellationRequested();
                _backing.Add(process);
                process.Start();
            }
            exited = process.Exited;
        }
        var healthy = await HealthProbes.WaitAsync(launch.Probe!, exited, StartTimeout, stoppingToken);
        output.Info(healthy
            ? $"{name,-12} {launch.DisplayUrl,-28} {launch.Description}"
            : $"{name,-12} did not become healthy at {launch.DisplayUrl} ({launch.Description})");
        return healthy;
    }

    /// <summary>Without storage the replicas share one folder; without a cache each keeps its own in memory.</summary>
    private Dictionary<string, string> EmbeddedFallback(ProjectResource project, HashSet<string> available)
    {
        var fallback = new Dictionary<string, string>();
        var missing = project.References.Where(r => !available.Contains(r.Name)).ToList();
        if (missing.Any(r => r is MinioContainerResource))
        {
            var folder = Path.Combine(model.Options.DataDirectory, "packages");
            Directory.CreateDirectory(folder);
            fallback["Storage__Folders__0"] = folder;
        }
        if (missing.Count == project.References.Count && missing.Count > 0)
        {
            output.Info($"neither Redis nor an S3 server is available: running {project.Replicas} {project.Name} replicas in embedded mode on the shared folder {fallback["Storage__Folders__0"]}");
        }
        else if (missing.Count > 0)
        {
            output.Info($"{string.Join(" and ", missing.Select(m => m.Name))} unavailable: {project.Name} runs without it"
                + (fallback.TryGetValue("Storage__Folders__0", out var folder) ? $" (packages in {folder})" : " (each replica caches in memory)"));
        }
        return fallback;
    }

    private async Task RunReplicasAsync(ProjectResource project, HashSet<string> available, Dictionary<string, string> fallback, CancellationToken stoppingToken)
    {
        var dll = ApiAssembly(project);
        var endpoint = project.GetEndpoint("http");
        endpoint.AllocatedHost = "localhost";
        endpoint.AllocatedPort = model.Options.Port;

        for (var i = 0; i < project.Replicas; i++)
        {
            var suffix = Guid.NewGuid().ToString("N")[..8];
            var port = FreePort();
            var environment = RunEnvironment.ForReplica(project, suffix, port, available, Environment.GetEnvironmentVariable);
            foreach (var (key, value) in fallback)
            {
                environment[key] = value;
            }
            var spec = new LaunchSpec(DotnetHost(), [dll], environment)
            {
                // Aspire runs a project in its own directory, so appsettings.json is found as with dotnet run.
                WorkingDirectory = Path.GetDirectoryName(project.ProjectPath),
                Description = "project",
            };
            var name = $"{project.Name}-{suffix}";
            _replicas.Add(new Replica(name, suffix, port, new ManagedProcess(name, spec, output)));
        }

        var tasks = _replicas.Select(r => SuperviseAsync(r, stoppingToken)).ToList();
        tasks.Add(MonitorHealthAsync(project, stoppingToken));
        await Task.WhenAll(tasks);
    }

    /// <summary>Starts a replica and restarts it when it dies, with a growing delay if it keeps dying.</summary>
    private async Task SuperviseAsync(Replica replica, CancellationToken stoppingToken)
    {
        var quickFailures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            lock (_lock)
            {
                stoppingToken.ThrowIfCancellationRequested();
                replica.Process.Start();
            }
            var started = DateTime.UtcNow;
            var exitCode = await replica.Process.Exited.WaitAsync(stoppingToken);
            if (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            // Out of the balancer at once, not at the next health poll.
            replica.Healthy = false;
            UpdateBalancer();
            quickFailures = DateTime.UtcNow - started < TimeSpan.FromSeconds(30) ? quickFailures + 1 : 1;
            var delay = TimeSpan.FromSeconds(Math.Min(30, 1 << Math.Min(quickFailures - 1, 5)));
            output.Info($"{replica.Name} exited with code {exitCode}; restarting in {delay.TotalSeconds:0} s");
            await Task.Delay(delay, stoppingToken);
        }
    }

    /// <summary>WithHttpHealthCheck: polls each replica; only healthy ones get traffic.</summary>
    private async Task MonitorHealthAsync(ProjectResource project, CancellationToken stoppingToken)
    {
        var path = project.HealthCheckPath ?? "/";
        var announced = false;
        var started = DateTime.UtcNow;
        while (!stoppingToken.IsCancellationRequested)
        {
            var results = await Task.WhenAll(_replicas.Select(r => HealthProbes.HttpAsync(r.Url + path, requireOk: true, stoppingToken)));
            var changed = false;
            for (var i = 0; i < _replicas.Count; i++)
            {
                var replica = _replicas[i];
                if (replica.Healthy == results[i])
                {
                    continue;
                }
                changed = true;
                replica.Healthy = results[i];
                if (replica.Healthy && !replica.EverHealthy)
                {
                    replica.EverHealthy = true;
                    output.Info($"{replica.Name,-12} {replica.Url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal),-28} project (replica {i + 1}/{_replicas.Count})");
                }
                else
                {
                    output.Info($"{replica.Name} is {(replica.Healthy ? "healthy again" : "unhealthy")}: {(replica.Healthy ? "back in" : "out of")} the balancer");
                }
            }
            if (changed)
            {
                UpdateBalancer();
            }
            if (!announced && (_replicas.All(r => r.EverHealthy) || (_replicas.Any(r => r.Healthy) && DateTime.UtcNow - started > StartTimeout)))
            {
                announced = true;
                output.Info($"{project.Name,-12} {BalancerUrl,-28} load balancer over {_replicas.Count(r => r.Healthy)} replicas");
                output.Info($"ready: pip install --index-url {BalancerUrl}/simple/ <package>; twine upload --repository-url {BalancerUrl}/legacy/ dist/*");
            }
            // Poll fast while starting, then gently: a dead process is noticed at once by SuperviseAsync anyway.
            await Task.Delay(TimeSpan.FromSeconds(_replicas.All(r => r.Healthy) ? 5 : 1), stoppingToken);
        }
    }

    private void UpdateBalancer()
    {
        lock (_lock)
        {
            balancer.SetDestinations(_replicas.Where(r => r.Healthy).ToDictionary(r => r.Name, r => r.Url));
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        List<ManagedProcess> replicas, backing;
        lock (_lock)
        {
            // Taking the lock after cancellation means no process starts after this point.
            replicas = _replicas.Select(r => r.Process).ToList();
            backing = [.. _backing];
        }
        output.Info("stopping");
        // Replicas first (they may be finishing uploads to storage), then what they depend on.
        await Task.WhenAll(replicas.Select(p => p.StopAsync(StopGrace)));
        await Task.WhenAll(backing.Select(p => p.StopAsync(StopGrace)));
        output.Info("stopped");
    }

    private string ApiAssembly(ProjectResource project)
    {
        var dll = model.Options.ApiPath ?? DistributedApplicationBuilder.GetMetadata("ApiTargetPath")
            ?? throw new InvalidOperationException("The api's build output is unknown: pass --api-path.");
        return File.Exists(dll)
            ? dll
            : throw new InvalidOperationException($"{dll} does not exist: build the api first (dotnet build {project.ProjectPath}) or pass --api-path.");
    }

    private static string DotnetHost() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet"
            ? path
            : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
