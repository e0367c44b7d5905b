using PypiLocal.Core.Catalog;

namespace PypiLocal.Core.Audit;

/// <summary>One recorded change, as kept in storage and answered by the readers.</summary>
/// <param name="Id">Sortable and unique: the event time's ticks, then a random part that breaks ties the same way everywhere.</param>
/// <param name="Time">When the change was acknowledged (UTC, the recording node's clock).</param>
/// <param name="Address">Where the request came from: the client address (forwarded headers only from trusted proxies), or <c>cli:host</c>.</param>
/// <param name="Node">The machine that recorded it.</param>
/// <param name="Detail">A yank reason, a token's scope, what a throttle covers, a publishers fingerprint.</param>
public sealed record AuditEvent(
    string Id,
    DateTimeOffset Time,
    AuditAction Action,
    AuditActor Actor,
    string? Address,
    string? Node,
    string? Project = null,
    string? Version = null,
    string? Filename = null,
    long? Size = null,
    FileDigests? Hashes = null,
    string? Detail = null);
