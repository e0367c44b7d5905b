namespace PypiLocal.AppHost.Hosting;

/// <summary>
/// An endpoint of a resource. <see cref="Port"/> is what clients use (the proxy's, when proxied);
/// <see cref="TargetPort"/> is what the process listens on.
/// </summary>
internal sealed class EndpointAnnotation(string name, string scheme, string transport, int? targetPort = null)
{
    public string Name { get; } = name;
    public string Scheme { get; } = scheme;
    public string Transport { get; } = transport;
    public string Protocol => "tcp";
    public int? TargetPort { get; } = targetPort;
    public int? Port { get; set; }
    public bool IsExternal { get; set; }

    /// <summary>Run mode: the host and port clients reach, set once the resource is started.</summary>
    public string? AllocatedHost { get; set; }
    public int? AllocatedPort { get; set; }
}
