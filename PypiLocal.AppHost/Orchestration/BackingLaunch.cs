namespace PypiLocal.AppHost.Orchestration;

/// <summary>The chosen way to provide a backing resource, and the probe that says it is up.</summary>
internal sealed record BackingLaunch(LaunchKind Kind, string Description, LaunchSpec? Spec = null)
{
    /// <summary>The URL printed on the resource line (no secrets).</summary>
    public string DisplayUrl { get; init; } = "";

    public Func<CancellationToken, Task<bool>>? Probe { get; init; }
}
