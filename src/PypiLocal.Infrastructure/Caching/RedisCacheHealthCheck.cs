using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PypiLocal.Infrastructure.Caching;

/// <summary>Degraded, not unhealthy, when Redis is away: the node still answers, rendering from storage.</summary>
internal sealed class RedisCacheHealthCheck(RedisPageCache cache) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await cache.ProbeAsync(cancellationToken)
            ? HealthCheckResult.Healthy("Redis page cache reachable.")
            : HealthCheckResult.Degraded("Redis page cache unreachable; pages are rendered from storage.");
}
