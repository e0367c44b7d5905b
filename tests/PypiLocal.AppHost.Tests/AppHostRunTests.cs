using System.Net;
using PypiLocal.AppHost.Orchestration;
using PypiLocal.Testing;

namespace PypiLocal.AppHost.Tests;

/// <summary>The AppHost as a developer runs it: real redis-server, moto_server and api processes.</summary>
public sealed class AppHostRunTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Starts_the_stack_balances_restarts_a_dead_replica_and_leaves_nothing_after_SIGTERM()
    {
        ProcessRunner.Require("redis-server", "apt-get install -y redis-server");
        ProcessRunner.Require("moto_server", "pip install 'moto[server]'");
        using var data = new TempFolder("apphost-run");
        var port = FreePort.Next();
        await using var host = AppHostProcess.Start(["--replicas", "2", "--port", port.ToString(), "--data-dir", data.Path, "--passwords", Htpasswd(data)]);

        // One line per resource, each with its URL.
        await host.WaitForLineAsync(@"^apphost\s+\| cache\s+redis://127\.0\.0\.1:\d+\s+redis-server", StartTimeout);
        await host.WaitForLineAsync(@"^apphost\s+\| storage\s+http://127\.0\.0\.1:\d+\s+moto_server", StartTimeout);
        await host.WaitForLineAsync(@"^apphost\s+\| api-[0-9a-f]{8}\s+http://localhost:\d+\s+project \(replica 1/2\)", StartTimeout);
        await host.WaitForLineAsync(@"^apphost\s+\| api-[0-9a-f]{8}\s+http://localhost:\d+\s+project \(replica 2/2\)", StartTimeout);
        await host.WaitForLineAsync($@"^apphost\s+\| api\s+http://localhost:{port}\s+load balancer over 2 replicas", StartTimeout);
        // Every process's output is prefixed with its name.
        await host.WaitForLineAsync(@"^api-[0-9a-f]{8} \| ", StartTimeout);
        await host.WaitForLineAsync(@"^cache\s+\| ", StartTimeout);

        using var client = new HttpClient { BaseAddress = new Uri($"http://localhost:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        using (var health = await client.GetAsync("/health"))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        // twine uploads through the balancer and pip installs through it: whichever replicas answer, the bucket
        // and the shared cache make the new file visible at once.
        var twine = ProcessRunner.Require("twine", "apt-get install -y twine");
        using (var wheels = new TempFolder("apphost-wheels"))
        using (var python = await PythonEnvironment.CreateAsync())
        {
            // Asked once before the upload, so a stale cached "not found" would show after it.
            Assert.NotEqual(0, (await python.InstallAsync($"http://localhost:{port}/simple/", "apphost-probe")).ExitCode);
            var wheel = DistributionBuilder.Wheel(wheels.Path, "apphost-probe", "1.2.0");
            (await ProcessRunner.RunAsync(twine,
                ["upload", "--non-interactive", "--disable-progress-bar", "--repository-url", $"http://localhost:{port}/legacy/", "-u", User, "-p", Password, wheel],
                new Dictionary<string, string?> { ["HOME"] = wheels.Path, ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring" },
                TimeSpan.FromMinutes(2))).EnsureSuccess("twine upload through the balancer");

            (await python.InstallAsync($"http://localhost:{port}/simple/", "apphost-probe")).EnsureSuccess("pip install through the balancer");
            Assert.Equal("1.2.0", await python.RunAsync("import apphost_probe; print(apphost_probe.VERSION)"));
        }

        // A replica that dies is restarted and comes back healthy; meanwhile the balancer keeps answering.
        var replica = await host.WaitForLineAsync(@"^apphost\s+\| (?<name>api-[0-9a-f]{8})\s+http://localhost:(?<port>\d+)", StartTimeout);
        var replicaPid = ReplicaPid(host, int.Parse(replica.Groups["port"].Value));
        ProcessTree.Signal(replicaPid, ProcessTree.SigKill);
        await host.WaitForLineAsync($@"^apphost\s+\| {replica.Groups["name"].Value} exited with code \d+; restarting", StartTimeout);
        using (var health = await client.GetAsync("/health"))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
        await host.WaitForLineAsync($@"^apphost\s+\| {replica.Groups["name"].Value} is healthy again", StartTimeout);

        // SIGTERM stops everything it started: no process of the tree survives.
        var children = host.Descendants();
        Assert.True(children.Count >= 4, $"expected redis, moto and 2 replicas under the AppHost, found {children.Count}");
        host.Signal(ProcessTree.SigTerm);
        Assert.True(await host.WaitForExitAsync(TimeSpan.FromSeconds(45)), "the AppHost did not exit after SIGTERM:\n" + host.Output);
        var survivors = children.Where(ProcessTree.IsAlive).ToList();
        Assert.True(survivors.Count == 0, $"still running after the AppHost exited: {string.Join(", ", survivors)}");
        Assert.Contains("apphost      | stopped", host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_Redis_or_S3_the_replicas_share_an_embedded_folder_and_say_so()
    {
        using var data = new TempFolder("apphost-embedded");
        var port = FreePort.Next();
        // A PATH with only dotnet's folder: no redis-server, minio, moto_server, docker or podman.
        var dotnetDir = Path.GetDirectoryName(Environment.ProcessPath)!;
        await using var host = AppHostProcess.Start(
            ["--replicas", "2", "--port", port.ToString(), "--data-dir", data.Path],
            new Dictionary<string, string> { ["PATH"] = dotnetDir });

        await host.WaitForLineAsync(@"cache\s+unavailable: no redis-server on PATH and no container runtime", StartTimeout);
        var notice = await host.WaitForLineAsync(@"neither Redis nor an S3 server is available: running 2 api replicas in embedded mode on the shared folder (?<folder>\S+)", StartTimeout);
        Assert.Equal(Path.Combine(data.Path, "packages"), notice.Groups["folder"].Value);
        await host.WaitForLineAsync($@"^apphost\s+\| api\s+http://localhost:{port}\s+load balancer over 2 replicas", StartTimeout);

        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var health = await client.GetAsync($"http://localhost:{port}/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        var children = host.Descendants();
        host.Signal(ProcessTree.SigTerm);
        Assert.True(await host.WaitForExitAsync(TimeSpan.FromSeconds(45)), host.Output);
        Assert.DoesNotContain(children, ProcessTree.IsAlive);
    }

    [Fact]
    public async Task Given_endpoints_are_used_and_nothing_else_is_started()
    {
        var redisPort = FreePort.Next();
        await using var redis = BackgroundProcess.Start("redis-server",
            ["--bind", "127.0.0.1", "--port", redisPort.ToString(), "--save", "", "--appendonly", "no", "--requirepass", "given"],
            "apt-get install -y redis-server");
        await using var moto = await MotoServer.StartAsync();
        using var data = new TempFolder("apphost-given");
        var port = FreePort.Next();
        await using var host = AppHostProcess.Start([
            "--replicas", "1", "--port", port.ToString(), "--data-dir", data.Path,
            "--cache-connection", $"127.0.0.1:{redisPort},password=given",
            "--storage-connection", moto.ConnectionString,
        ]);

        await host.WaitForLineAsync($@"^apphost\s+\| cache\s+redis://127\.0\.0\.1:{redisPort}\s+given connection string", StartTimeout);
        await host.WaitForLineAsync(@"^apphost\s+\| storage\s+http://\S+\s+given connection string", StartTimeout);
        await host.WaitForLineAsync($@"^apphost\s+\| api\s+http://localhost:{port}\s+load balancer over 1 replicas", StartTimeout);

        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using (var health = await client.GetAsync($"http://localhost:{port}/health"))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
        // Only the replica runs under the AppHost: no Redis or S3 of its own.
        var children = host.Descendants();
        Assert.All(children, pid => Assert.Contains("pypilocal.dll", File.ReadAllText($"/proc/{pid}/cmdline"), StringComparison.Ordinal));

        host.Signal(ProcessTree.SigTerm);
        Assert.True(await host.WaitForExitAsync(TimeSpan.FromSeconds(45)), host.Output);
        Assert.DoesNotContain(children, ProcessTree.IsAlive);
        Assert.False(redis.HasExited, "the AppHost stopped a server it did not start");
    }

    [Fact]
    public async Task A_missing_api_build_is_reported_and_everything_stops_with_exit_code_1()
    {
        ProcessRunner.Require("redis-server", "apt-get install -y redis-server");
        using var data = new TempFolder("apphost-missing");
        var missing = Path.Combine(data.Path, "nowhere", "pypilocal.dll");
        await using var host = AppHostProcess.Start(["--port", FreePort.Next().ToString(), "--data-dir", data.Path, "--api-path", missing]);

        Assert.True(await host.WaitForExitAsync(StartTimeout), host.Output);
        Assert.Equal(1, host.ExitCode);
        Assert.Contains($"error: {missing} does not exist: build the api first", host.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("cache        | ", host.Output, StringComparison.Ordinal);
    }

    private const string User = "dev";
    private const string Password = "dev-secret";

    private static string Htpasswd(TempFolder folder)
    {
        var file = folder.Combine("htpasswd");
        File.WriteAllText(file, $"{User}:{{SHA}}{Convert.ToBase64String(System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.UTF8.GetBytes(Password)))}\n");
        return file;
    }

    private static int ReplicaPid(AppHostProcess host, int port) =>
        host.Descendants().Single(pid =>
        {
            try
            {
                return File.ReadAllText($"/proc/{pid}/environ").Split('\0').Contains($"ASPNETCORE_URLS=http://localhost:{port}");
            }
            catch (IOException)
            {
                return false;
            }
        });
}
