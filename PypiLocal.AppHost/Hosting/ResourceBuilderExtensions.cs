namespace PypiLocal.AppHost.Hosting;

/// <summary>The Aspire hosting methods the AppHost uses, with Aspire's names and meanings.</summary>
internal static class ResourceBuilderExtensions
{
    public static IResourceBuilder<ParameterResource> AddParameter(
        this DistributedApplicationBuilder builder, string name, string value, bool publishValueAsDefault = false, bool secret = false)
    {
        _ = publishValueAsDefault; // Our manifest always writes the default, as publishValueAsDefault: true does.
        return builder.AddResource(new ParameterResource(name, value, secret));
    }

    public static IResourceBuilder<RedisResource> AddRedis(this DistributedApplicationBuilder builder, string name)
    {
        var password = builder.CreateGeneratedParameter($"{name}-password");
        var redis = builder.AddResource(new RedisResource(name, password));
        redis.Resource.ExternalConnectionString = builder.Options.CacheConnection;
        return redis;
    }

    public static IResourceBuilder<MinioContainerResource> AddMinioContainer(
        this DistributedApplicationBuilder builder, string name, IResourceBuilder<ParameterResource> rootUser)
    {
        var password = builder.CreateGeneratedParameter($"{name}-rootPassword");
        var minio = builder.AddResource(new MinioContainerResource(name, rootUser.Resource, password));
        minio.Resource.ExternalConnectionString = builder.Options.StorageConnection;
        return minio;
    }

    /// <summary>A named volume at /data (Redis: its RDB snapshots; MinIO: the objects).</summary>
    public static IResourceBuilder<T> WithDataVolume<T>(this IResourceBuilder<T> builder, string? name = null) where T : ContainerResource
    {
        builder.Resource.Volumes.Add(new ContainerVolume(name ?? $"{builder.Resource.Name}-data", "/data"));
        return builder;
    }

    /// <summary>Not in Aspire: a bucket created on a locally started server before its dependents start.</summary>
    public static IResourceBuilder<MinioContainerResource> WithBucket(this IResourceBuilder<MinioContainerResource> builder, string bucket)
    {
        builder.Resource.Buckets.Add(bucket);
        return builder;
    }

    public static IResourceBuilder<ProjectResource> AddProject(this DistributedApplicationBuilder builder, string name, string projectPath) =>
        builder.AddResource(new ProjectResource(name, Path.GetFullPath(Path.Combine(builder.AppHostDirectory, projectPath))));

    public static IResourceBuilder<ProjectResource> WithReplicas(this IResourceBuilder<ProjectResource> builder, int replicas)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        builder.Resource.Replicas = replicas;
        return builder;
    }

    /// <summary>Injects ConnectionStrings__name and, as Aspire 13 does, NAME_HOST/_PORT/… beside it.</summary>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResourceWithConnectionString> source)
        where T : Resource
    {
        var resource = builder.Resource;
        var target = source.Resource;
        resource.References.Add(target);
        resource.SetEnvironment($"ConnectionStrings__{target.Name}", new ConnectionStringReference(target));
        foreach (var (suffix, value) in target.ConnectionProperties)
        {
            resource.SetEnvironment($"{target.Name.ToUpperInvariant()}_{suffix}", value);
        }
        return builder;
    }

    public static IResourceBuilder<T> WaitFor<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResource> dependency) where T : Resource
    {
        builder.Resource.WaitsFor.Add(dependency.Resource);
        return builder;
    }

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, string value) where T : Resource
    {
        builder.Resource.SetEnvironment(name, ReferenceExpression.Literal(value));
        return builder;
    }

    public static IResourceBuilder<ProjectResource> WithHttpHealthCheck(this IResourceBuilder<ProjectResource> builder, string path)
    {
        builder.Resource.HealthCheckPath = path;
        return builder;
    }

    public static IResourceBuilder<T> WithExternalHttpEndpoints<T>(this IResourceBuilder<T> builder) where T : Resource
    {
        foreach (var endpoint in builder.Resource.Endpoints.Where(e => e.Scheme is "http" or "https"))
        {
            endpoint.IsExternal = true;
        }
        return builder;
    }

    private static ParameterResource CreateGeneratedParameter(this DistributedApplicationBuilder builder, string name)
    {
        var parameter = new ParameterResource(name, defaultValue: null, secret: true);
        builder.ImplicitParameters.Add(parameter);
        return parameter;
    }
}
