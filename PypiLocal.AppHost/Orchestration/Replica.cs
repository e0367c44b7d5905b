namespace PypiLocal.AppHost.Orchestration;

/// <summary>One api process behind the balancer: its name (<c>api-suffix</c>), port and process.</summary>
internal sealed record Replica(string Name, string Suffix, int TargetPort, ManagedProcess Process)
{
    public string Url => $"http://127.0.0.1:{TargetPort}";

    public bool Healthy { get; set; }

    public bool EverHealthy { get; set; }
}
