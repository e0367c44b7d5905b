using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace PypiLocal.Core.Upstream;

/// <summary>The "upstream" health check: Degraded while an upstream index fails (kept pages and files are still served).</summary>
internal sealed class UpstreamHealthCheck(UpstreamHealth health, IOptions<UpstreamOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!options.Value.Enabled)
        {
            return Task.FromResult(HealthCheckResult.Healthy("No upstream index is configured."));
        }

        var failing = health.Failing;
        return Task.FromResult(failing.Count == 0
            ? HealthCheckResult.Healthy("Every upstream index answers.")
            : HealthCheckResult.Degraded($"Serving kept pages and files; failing: {string.Join("; ", failing.Select(f => $"{f.Index} since {f.Since:u}: {f.Reason}"))}"));
    }
}
