namespace PypiLocal.Core.Maintenance;

/// <summary>The sweep of objects no index entry names, left by interrupted or superseded uploads (section <c>Storage</c>).</summary>
public sealed class OrphanSweepOptions
{
    public const string SectionName = "Storage";

    /// <summary>
    /// How old an unreferenced object must be before it is deleted: longer than any upload takes between
    /// writing its bytes and writing its index entry, so an upload in flight never loses its bytes.
    /// </summary>
    public TimeSpan OrphanGracePeriod { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often each node sweeps (at start, then on this interval).</summary>
    public TimeSpan OrphanSweepInterval { get; set; } = TimeSpan.FromHours(1);
}
