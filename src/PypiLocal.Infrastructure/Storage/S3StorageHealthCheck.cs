using Microsoft.Extensions.Diagnostics.HealthChecks;
using PypiLocal.Core.Storage;

namespace PypiLocal.Infrastructure.Storage;

/// <summary>
/// Storage is healthy when the bucket answers a HEAD; it recovers by itself when the store comes back. The answer is
/// kept for <see cref="CheckInterval"/>, and probes meanwhile share it, so however many load balancers and probes
/// ask, the store sees one HEAD per interval per node.
/// </summary>
internal sealed class S3StorageHealthCheck(S3BlobStore store, TimeProvider time) : IHealthCheck
{
    internal static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private (Task<HealthCheckResult> Check, DateTimeOffset At)? _last;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (_last is not { } last || (last.Check.IsCompleted && now - last.At >= CheckInterval))
            {
                _last = last = (ProbeAsync(), now);
            }

            return last.Check.WaitAsync(cancellationToken);
        }
    }

    // Not cancelled by one prober: others share the answer.
    private async Task<HealthCheckResult> ProbeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            return await store.BucketExistsAsync(timeout.Token)
                ? HealthCheckResult.Healthy("The bucket answers.")
                : HealthCheckResult.Unhealthy("The bucket does not exist.");
        }
        catch (Exception e) when (e is StorageUnavailableException or S3RequestException or OperationCanceledException)
        {
            // The message says it all; the exception would put a stack trace in the log at every probe.
            return HealthCheckResult.Unhealthy($"Object storage is unavailable: {e.Message}");
        }
    }
}
