namespace PypiLocal.AppHost.Tests;

/// <summary>What DCP reports of the app's resources: one snapshot per instance (each api replica is one).</summary>
internal static class Resources
{
    public static readonly string[] Names = ["cache", "storage", "api"];

    /// <summary>
    /// The latest snapshot of every instance, once <paramref name="until"/> holds for them (or the deadline passes:
    /// then whatever was seen, for the assertion to report).
    /// </summary>
    public static async Task<Dictionary<string, ResourceEvent>> WatchAsync(DistributedApplication app, Func<IReadOnlyCollection<ResourceEvent>, bool> until, TimeSpan timeout)
    {
        var latest = new Dictionary<string, ResourceEvent>();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await foreach (var update in app.ResourceNotifications.WatchAsync(deadline.Token))
            {
                latest[update.ResourceId] = update;
                if (until(latest.Values))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The deadline passed: the caller asserts on what was seen.
        }

        return latest;
    }

    public static IEnumerable<ResourceEvent> Replicas(this IEnumerable<ResourceEvent> events, string resource) =>
        events.Where(e => e.Resource.Name == resource);

    public static bool IsRunningAndHealthy(this ResourceEvent resource) =>
        resource.Snapshot.State?.Text == KnownResourceStates.Running && resource.Snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy;

    /// <summary>A replica's own address (not the proxy's), from the ASPNETCORE_URLS DCP gave it.</summary>
    public static Uri OwnUrl(this ResourceEvent replica) =>
        new(replica.Snapshot.EnvironmentVariables.Single(v => v.Name == "ASPNETCORE_URLS").Value!.Split(';')[0]);

    public static string Describe(IEnumerable<ResourceEvent> events) =>
        string.Join("; ", events.Select(e => $"{e.ResourceId}: {e.Snapshot.State?.Text}/{e.Snapshot.HealthStatus}"));
}
