namespace PypiLocal.AppHost.Resources;

/// <summary>
/// <c>storage</c>, the api's object store. The api creates its bucket from its own health check, and its
/// <c>WaitFor(storage)</c> holds it until the store answers, so the bucket exists before the api is healthy.
/// </summary>
public static class S3StorageBuilderExtensions
{
    /// <summary>The MinIO container with generated root credentials; healthy once <c>/minio/health/live</c> answers.</summary>
    public static IResourceBuilder<MinioResource> AddMinio(this IDistributedApplicationBuilder builder, [ResourceName] string name)
    {
        var minio = new MinioResource(name, S3Credentials.Generate(builder, name));
        return builder.AddResource(minio)
            .WithImage(MinioResource.Image, MinioResource.Tag)
            .WithImageRegistry("docker.io")
            .WithHttpEndpoint(targetPort: MinioResource.ApiPort, name: "http")
            .WithHttpEndpoint(targetPort: MinioResource.ConsolePort, name: "console")
            .WithArgs("server", "/data", "--console-address", $":{MinioResource.ConsolePort}")
            .WithEnvironment("MINIO_ROOT_USER", minio.Credentials.User)
            .WithEnvironment("MINIO_ROOT_PASSWORD", minio.Credentials.Password)
            .WithHttpHealthCheck("/minio/health/live");
    }

    /// <summary>Keeps the objects in a named volume across runs.</summary>
    public static IResourceBuilder<MinioResource> WithDataVolume(this IResourceBuilder<MinioResource> builder) =>
        builder.WithVolume($"{builder.Resource.Name}-data", "/data");

    /// <summary>
    /// <c>minio server</c> (data under the AppHost's <c>.minio-data</c>) when it is on PATH, else <c>moto_server</c>
    /// (in memory, gone when the AppHost stops); healthy once it answers HTTP.
    /// </summary>
    public static IResourceBuilder<S3ServerResource> AddS3Server(this IDistributedApplicationBuilder builder, [ResourceName] string name)
    {
        var minio = FindOnPath("minio");
        var server = new S3ServerResource(name, minio ?? "moto_server", S3Credentials.Generate(builder, name));
        var resource = builder.AddResource(server).WithHttpEndpoint(name: "http");
        var port = server.PrimaryEndpoint.Property(EndpointProperty.TargetPort);
        if (minio is not null)
        {
            var data = Path.Combine(builder.AppHostDirectory, ".minio-data");
            return resource
                .WithArgs(context => context.Args.AddRange(["server", data, "--address", ReferenceExpression.Create($"127.0.0.1:{port}")]))
                .WithEnvironment("MINIO_ROOT_USER", server.Credentials.User)
                .WithEnvironment("MINIO_ROOT_PASSWORD", server.Credentials.Password)
                .WithHttpHealthCheck("/minio/health/live");
        }

        // moto accepts any credentials; it answers GET / with the (empty) bucket list.
        return resource
            .WithArgs(context => context.Args.AddRange(["-H", "127.0.0.1", "-p", port]))
            .WithHttpHealthCheck("/");
    }

    private static void AddRange(this IList<object> list, IEnumerable<object> items)
    {
        foreach (var item in items)
        {
            list.Add(item);
        }
    }

    private static string? FindOnPath(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, command))
            .FirstOrDefault(File.Exists);
}
