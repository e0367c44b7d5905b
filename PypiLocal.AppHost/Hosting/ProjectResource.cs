namespace PypiLocal.AppHost.Hosting;

/// <summary>A .NET project (project.v0). Replicas and the health path live only in the AppHost model, never in the manifest.</summary>
internal sealed class ProjectResource : Resource
{
    public ProjectResource(string name, string projectPath) : base(name)
    {
        ProjectPath = projectPath;
        // Aspire takes endpoints from the launch profile; ours has one http endpoint.
        Endpoints.Add(new EndpointAnnotation("http", "http", "http"));
    }

    /// <summary>Absolute path of the .csproj.</summary>
    public string ProjectPath { get; }

    public int Replicas { get; set; } = 1;

    public string? HealthCheckPath { get; set; }
}
