using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PypiLocal.Core.Audit;

/// <summary>The "audit" health check: Degraded after an audit write failed, until one succeeds again (the changes themselves were kept).</summary>
public sealed class AuditHealthCheck(TimeProvider time) : IHealthCheck
{
    private volatile string? _failure;

    public void Succeeded() => _failure = null;

    public void Failed(string reason) => _failure = $"{time.GetUtcNow():u}: {reason}";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_failure is { } failure
            ? HealthCheckResult.Degraded($"An audit event could not be written (it is in the log at Error level): {failure}")
            : HealthCheckResult.Healthy("Audit events are written."));
}
