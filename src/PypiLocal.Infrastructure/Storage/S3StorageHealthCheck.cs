using Microsoft.Extensions.Diagnostics.HealthChecks;
using PypiLocal.Core.Storage;

namespace PypiLocal.Infrastructure.Storage;

/// <summary>Storage is healthy when the bucket answers a HEAD; it recovers by itself when the store comes back.</summary>
internal sealed class S3StorageHealthCheck(S3BlobStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
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
