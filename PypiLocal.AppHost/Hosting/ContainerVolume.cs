namespace PypiLocal.AppHost.Hosting;

/// <summary>A named volume mounted into a container.</summary>
internal sealed record ContainerVolume(string Name, string Target, bool ReadOnly = false);
