using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PypiLocal.Core.Auth;
using PypiLocal.Core.Diagnostics;

namespace PypiLocal.Core.Audit;

/// <summary>
/// Records a change once it is durable, before it is acknowledged, adding who, when and from where. A kept change is
/// never undone for want of its record: when the write fails the whole event is logged at Error level (so it can be
/// put back from the node's logs), counted in <c>pypilocal.audit.failures</c>, and the "audit" health check says
/// Degraded until a write succeeds again. Never throws.
/// </summary>
public sealed class AuditTrail(AuditLog log, IAuditOrigin origin, AuditHealthCheck health, TimeProvider time, ILogger<AuditTrail> logger)
{
    private static readonly string Node = $"{Environment.MachineName}:{Environment.ProcessId}";
    private long _lastTicks;

    public Task RecordAsync(IndexUser user, AuditChange change) => RecordAsync(AuditActor.Of(user), change);

    /// <param name="address">Where the change came from, when the caller knows better than the current request.</param>
    public async Task RecordAsync(AuditActor actor, AuditChange change, string? address = null)
    {
        var ticks = NextTicks();
        var entry = new AuditEvent(
            AuditKeys.NewId(ticks, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))),
            new DateTimeOffset(ticks, TimeSpan.Zero),
            change.Action,
            actor,
            address ?? origin.Address,
            Node,
            change.Project,
            change.Version,
            change.Filename,
            change.Size,
            change.Hashes,
            change.Detail);
        try
        {
            // Not the request's token: a client that hangs up after its change was kept must not leave it unrecorded.
            await log.AppendAsync(entry, CancellationToken.None);
            health.Succeeded();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever the store throws, the change itself has been kept: say so loudly, never fail it.
            PypiLocalMetrics.AuditFailures.Add(1);
            health.Failed(e.Message);
            logger.LogError(e, "Could not write audit event {Event}", JsonSerializer.Serialize(entry, AuditJsonContext.Default.AuditEvent));
        }
    }

    /// <summary>Now, but always after the previous event of this process, so one node's events keep their order.</summary>
    private long NextTicks()
    {
        while (true)
        {
            var last = Interlocked.Read(ref _lastTicks);
            var next = Math.Max(time.GetUtcNow().UtcTicks, last + 1);
            if (Interlocked.CompareExchange(ref _lastTicks, next, last) == last)
            {
                return next;
            }
        }
    }
}
