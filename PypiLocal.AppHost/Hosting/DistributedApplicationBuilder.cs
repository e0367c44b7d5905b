using System.Reflection;

namespace PypiLocal.AppHost.Hosting;

/// <summary>Collects the app model (Aspire: IDistributedApplicationBuilder).</summary>
internal sealed class DistributedApplicationBuilder
{
    public DistributedApplicationBuilder(string[] args, Func<string, string?>? environment = null)
    {
        Options = AppHostOptions.Parse(args, environment ?? Environment.GetEnvironmentVariable);
        ExecutionContext = new DistributedApplicationExecutionContext(Options.IsPublishMode);
        AppHostDirectory = GetMetadata("AppHostProjectDirectory") ?? AppContext.BaseDirectory;
    }

    public AppHostOptions Options { get; }

    public DistributedApplicationExecutionContext ExecutionContext { get; }

    /// <summary>The AppHost project's directory: project paths are relative to it, as in Aspire.</summary>
    public string AppHostDirectory { get; }

    /// <summary>Model resources in the order they were added.</summary>
    public List<IResource> Resources { get; } = [];

    /// <summary>Parameters created on a resource's behalf (generated passwords): written after the model resources.</summary>
    public List<ParameterResource> ImplicitParameters { get; } = [];

    public IResourceBuilder<T> AddResource<T>(T resource) where T : IResource
    {
        if (Resources.Any(r => string.Equals(r.Name, resource.Name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidOperationException($"A resource named '{resource.Name}' already exists.");
        }
        Resources.Add(resource);
        return new ResourceBuilder<T>(resource, this);
    }

    public DistributedApplication Build() => new(this);

    internal static string? GetMetadata(string key) =>
        typeof(DistributedApplicationBuilder).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == key)?.Value is { Length: > 0 } value ? value : null;
}
