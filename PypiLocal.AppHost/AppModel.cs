using PypiLocal.AppHost.Hosting;

namespace PypiLocal.AppHost;

/// <summary>
/// The PypiLocal app model, written as an Aspire AppHost: a Redis cache, an S3 store (MinIO), and the api with
/// replicas behind one stable endpoint. Run mode and both publishers read this one definition.
/// </summary>
internal static class AppModel
{
    /// <summary>The api's bucket: its /health is unhealthy until the bucket exists.</summary>
    public const string Bucket = "pypilocal";

    public static void Define(DistributedApplicationBuilder builder)
    {
        var cache = builder.AddRedis("cache")
            .WithDataVolume("cache-data");

        var storageUser = builder.AddParameter("storage-user", "minioadmin", publishValueAsDefault: true);
        var storage = builder.AddMinioContainer("storage", rootUser: storageUser)
            .WithDataVolume("storage-data")
            .WithBucket(Bucket);

        var api = builder.AddProject("api", "../src/PypiLocal.Api/PypiLocal.Api.csproj")
            .WithReplicas(builder.Options.Replicas)
            .WithReference(cache).WaitFor(cache)
            .WithReference(storage).WaitFor(storage)
            .WithEnvironment("Storage__S3__Bucket", Bucket)
            .WithHttpHealthCheck("/health")
            .WithExternalHttpEndpoints();

        if (builder.Options.PasswordsFile is { } passwords)
        {
            api.WithEnvironment("Auth__PasswordsFile", passwords);
        }
    }
}
