using PypiLocal.AppHost.Kubernetes;
using PypiLocal.AppHost.Resources;

// The PypiLocal app model. Run: dotnet run --project PypiLocal.AppHost   (README: "Run the whole stack").
// Publish: -- --publisher manifest --output-path ../aspire-manifest.json
//          -- --operation publish --step publish-kubernetes --output-path ../deploy/kubernetes
var builder = DistributedApplication.CreateBuilder(args);

var api = builder.AddProject<Projects.PypiLocal_Api>("api")
    .WithHttpEndpoint(name: "http") // the api has no launch profile: one http endpoint, behind DCP's proxy
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints()
    .WithReadyMessage();

if (builder.ExecutionContext.IsRunMode && builder.Configuration["packages"] is { Length: > 0 } packages)
{
    // Embedded mode, for a laptop: one node serving a folder of wheels; no Redis, no object store.
    api.WithEnvironment("Storage__Folders__0", Path.GetFullPath(packages));
}
else
{
    // Containers where a runtime answers and always in publish mode; local processes under DCP otherwise.
    var containers = builder.ExecutionContext.IsPublishMode || ContainerRuntime.Answers();

    IResourceBuilder<IResourceWithConnectionString> cache = containers
        ? builder.AddRedis("cache")
        : builder.AddRedisServer("cache");

    IResourceBuilder<IResourceWithConnectionString> storage = containers
        ? builder.AddMinio("storage").WithDataVolume()
        : builder.AddS3Server("storage");

    api.WithReplicas(3)
        .WithReference(cache).WaitFor(cache)
        .WithReference(storage).WaitFor(storage);
}

if (builder.ExecutionContext.IsRunMode && builder.Configuration["passwords"] is { Length: > 0 } passwords)
{
    // Accounts for twine upload: an htpasswd file (htpasswd -B -c passwords alice).
    api.WithEnvironment("Auth__PasswordsFile", Path.GetFullPath(passwords));
}

if (builder.ExecutionContext.IsRunMode && builder.Configuration["accounts"] is { Length: > 0 } accounts)
{
    // Where accounts live (README: Accounts): "store" keeps them in the bucket (or state directory) every replica reads,
    // managed with /api/users; the --passwords file then only seeds it.
    api.WithEnvironment("Auth__Accounts", accounts);
}

if (builder.ExecutionContext.IsRunMode && builder.Configuration["rights"] is { Length: > 0 } rights)
{
    // What each account may do, per project (README: Rights); without it every account may do everything.
    api.WithEnvironment("Auth__RightsFile", Path.GetFullPath(rights));
}

builder.AddKubernetesPublishing();

builder.Build().Run();
