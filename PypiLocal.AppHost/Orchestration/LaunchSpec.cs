namespace PypiLocal.AppHost.Orchestration;

/// <summary>How to start one process: command, arguments, extra environment and optional stdin text.</summary>
internal sealed record LaunchSpec(string Command, IReadOnlyList<string> Args, IReadOnlyDictionary<string, string> Environment)
{
    public string? WorkingDirectory { get; init; }

    /// <summary>Written to stdin then closed (redis-server reads its config, password included, from "-").</summary>
    public string? StandardInput { get; init; }

    /// <summary>What the resource line says it runs, e.g. "redis-server" or "docker run redis:8.2".</summary>
    public required string Description { get; init; }
}
