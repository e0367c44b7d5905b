using System.Data.Common;
using System.Globalization;
using PypiLocal.AppHost.Hosting;

namespace PypiLocal.AppHost.Orchestration;

/// <summary>
/// Decides how each backing resource runs: the user's endpoint, else a native binary on PATH, else a container
/// runtime, else unavailable. On a local start it allocates the endpoint so references resolve.
/// </summary>
internal sealed class BackingServiceResolver(Func<string, string?> findOnPath, Func<string?> containerRuntime, string dataDirectory)
{
    public const string Loopback = "127.0.0.1";

    public BackingLaunch ResolveRedis(RedisResource redis, Func<int> freePort)
    {
        if (redis.ExternalConnectionString is { } external)
        {
            var (host, port, externalPassword) = ParseRedis(external);
            return new BackingLaunch(LaunchKind.External, "given connection string")
            {
                DisplayUrl = $"redis://{host}:{port}",
                Probe = ct => HealthProbes.RedisAsync(host, port, externalPassword, ct),
            };
        }
        var password = redis.PasswordParameter.GetValue()!;
        if (findOnPath("redis-server") is { } redisServer)
        {
            var port = Allocate(redis.GetEndpoint("tcp"), freePort);
            var config = $"bind {Loopback}\nport {port}\nrequirepass {password}\nsave \"\"\nappendonly no\ndaemonize no\n";
            return Local(new LaunchSpec(redisServer, ["-"], Empty) { StandardInput = config, Description = "redis-server" },
                $"redis://{Loopback}:{port}", ct => HealthProbes.RedisAsync(Loopback, port, password, ct));
        }
        if (containerRuntime() is { } runtime)
        {
            var port = Allocate(redis.GetEndpoint("tcp"), freePort);
            return Local(ContainerSpec(runtime, redis, [(port, RedisResource.DefaultPort)], new() { ["REDIS_PASSWORD"] = password }),
                $"redis://{Loopback}:{port}", ct => HealthProbes.RedisAsync(Loopback, port, password, ct));
        }
        return new BackingLaunch(LaunchKind.Unavailable, "no redis-server on PATH and no container runtime");
    }

    public BackingLaunch ResolveStorage(MinioContainerResource minio, Func<int> freePort)
    {
        if (minio.ExternalConnectionString is { } external)
        {
            var endpoint = ParseS3Endpoint(external);
            return new BackingLaunch(LaunchKind.External, "given connection string")
            {
                DisplayUrl = endpoint,
                Probe = ct => HealthProbes.HttpAsync(endpoint, requireOk: false, ct),
            };
        }
        var user = minio.RootUser.GetValue()!;
        var password = minio.RootPassword.GetValue()!;
        var credentials = new Dictionary<string, string> { ["MINIO_ROOT_USER"] = user, ["MINIO_ROOT_PASSWORD"] = password };
        if (findOnPath("minio") is { } minioServer)
        {
            var port = Allocate(minio.GetEndpoint("http"), freePort);
            var consolePort = Allocate(minio.GetEndpoint("console"), freePort);
            var data = Path.Combine(dataDirectory, minio.Volumes.FirstOrDefault()?.Name ?? $"{minio.Name}-data");
            Directory.CreateDirectory(data);
            var spec = new LaunchSpec(minioServer, ["server", data, "--address", $"{Loopback}:{port}", "--console-address", $"{Loopback}:{consolePort}"], credentials)
            { Description = "minio server" };
            return Local(spec, $"http://{Loopback}:{port}", MinioProbe(port));
        }
        if (findOnPath("moto_server") is { } moto)
        {
            // moto accepts any credentials and keeps objects in memory; the api creates the bucket.
            var port = Allocate(minio.GetEndpoint("http"), freePort);
            var spec = new LaunchSpec(moto, ["-H", Loopback, "-p", port.ToString(CultureInfo.InvariantCulture)], Empty)
            { Description = "moto_server (in memory, no MinIO on PATH)" };
            return Local(spec, $"http://{Loopback}:{port}", ct => HealthProbes.HttpAsync($"http://{Loopback}:{port}/", requireOk: true, ct));
        }
        if (containerRuntime() is { } runtime)
        {
            var port = Allocate(minio.GetEndpoint("http"), freePort);
            var consolePort = Allocate(minio.GetEndpoint("console"), freePort);
            var spec = ContainerSpec(runtime, minio,
                [(port, MinioContainerResource.DefaultApiPort), (consolePort, MinioContainerResource.DefaultConsolePort)], credentials);
            return Local(spec, $"http://{Loopback}:{port}", MinioProbe(port));
        }
        return new BackingLaunch(LaunchKind.Unavailable, "no minio or moto_server on PATH and no container runtime");
    }

    /// <summary><c>docker run</c> with the manifest's image, entrypoint, args and volumes; secrets pass by name (-e KEY), never on the command line.</summary>
    internal static LaunchSpec ContainerSpec(string runtime, ContainerResource container, IReadOnlyList<(int Port, int TargetPort)> ports, Dictionary<string, string> environment)
    {
        List<string> args = ["run", "--rm", "--name", $"pypilocal-{container.Name}-{Guid.NewGuid().ToString("N")[..8]}"];
        foreach (var (port, targetPort) in ports)
        {
            args.AddRange(["-p", $"{Loopback}:{port}:{targetPort}"]);
        }
        foreach (var key in environment.Keys)
        {
            args.AddRange(["-e", key]);
        }
        foreach (var volume in container.Volumes)
        {
            args.AddRange(["-v", $"pypilocal-{volume.Name}:{volume.Target}{(volume.ReadOnly ? ":ro" : "")}"]);
        }
        if (container.Entrypoint is not null)
        {
            args.AddRange(["--entrypoint", container.Entrypoint]);
        }
        args.Add(container.ImageReference);
        args.AddRange(container.Args);
        return new LaunchSpec(runtime, args, environment) { Description = $"{Path.GetFileName(runtime)} run {container.ImageReference}" };
    }

    internal static (string Host, int Port, string? Password) ParseRedis(string connectionString)
    {
        var parts = connectionString.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var endpoint = parts.FirstOrDefault(p => !p.Contains('=', StringComparison.Ordinal)) ?? "localhost";
        var password = parts.Where(p => p.StartsWith("password=", StringComparison.OrdinalIgnoreCase)).Select(p => p["password=".Length..]).FirstOrDefault();
        var colon = endpoint.LastIndexOf(':');
        return colon > 0
            ? (endpoint[..colon], int.Parse(endpoint[(colon + 1)..], CultureInfo.InvariantCulture), password)
            : (endpoint, RedisResource.DefaultPort, password);
    }

    internal static string ParseS3Endpoint(string connectionString)
    {
        if (Uri.TryCreate(connectionString, UriKind.Absolute, out var bare) && bare.Scheme is "http" or "https")
        {
            return bare.GetLeftPart(UriPartial.Authority);
        }
        var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
        return builder.TryGetValue("Endpoint", out var endpoint) && endpoint is string text
            ? text.TrimEnd('/')
            : throw new ArgumentException("The storage connection string needs Endpoint=http://host:port.");
    }

    /// <summary>The first executable file of that name on PATH, as a shell would find it.</summary>
    public static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(path => File.Exists(path)
                && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0));

    private static readonly Dictionary<string, string> Empty = [];

    private static Func<CancellationToken, Task<bool>> MinioProbe(int port) =>
        ct => HealthProbes.HttpAsync($"http://{Loopback}:{port}/minio/health/live", requireOk: true, ct);

    private static BackingLaunch Local(LaunchSpec spec, string url, Func<CancellationToken, Task<bool>> probe) =>
        new(spec.Command.Contains("docker", StringComparison.Ordinal) || spec.Command.Contains("podman", StringComparison.Ordinal)
            ? LaunchKind.Container : LaunchKind.Executable, spec.Description, spec)
        { DisplayUrl = url, Probe = probe };

    private static int Allocate(EndpointAnnotation endpoint, Func<int> freePort)
    {
        endpoint.AllocatedHost = Loopback;
        endpoint.AllocatedPort = freePort();
        return endpoint.AllocatedPort.Value;
    }
}
