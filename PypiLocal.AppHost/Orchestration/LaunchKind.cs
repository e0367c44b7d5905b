namespace PypiLocal.AppHost.Orchestration;

/// <summary>Where a backing resource comes from, in the order the AppHost tries them.</summary>
internal enum LaunchKind
{
    /// <summary>The user gave a connection string: start nothing.</summary>
    External,

    /// <summary>A native binary on PATH (redis-server, minio, moto_server).</summary>
    Executable,

    /// <summary>docker or podman with the manifest's image.</summary>
    Container,

    /// <summary>None of the above: the api falls back to its embedded defaults.</summary>
    Unavailable,
}
