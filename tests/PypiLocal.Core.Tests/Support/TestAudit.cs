using Microsoft.Extensions.Logging.Abstractions;
using PypiLocal.Core.Audit;
using PypiLocal.Core.Storage;

namespace PypiLocal.Core.Tests.Support;

/// <summary>An audit trail over a bucket in memory, with its log to read back what was recorded.</summary>
public sealed class TestAudit
{
    private readonly TimeProvider _time;

    public TestAudit(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        Trail = NewNode();
    }

    public InMemoryBlobStore Store { get; } = new();

    public AuditLog Log => new(Store, _time, NullLogger<AuditLog>.Instance);

    public AuditHealthCheck Health { get; } = new(TimeProvider.System);

    /// <summary>The trail of one node.</summary>
    public AuditTrail Trail { get; }

    /// <summary>The trail of another node writing to the same storage.</summary>
    public AuditTrail NewNode() => new(Log, new CommandAuditOrigin(), Health, _time, NullLogger<AuditTrail>.Instance);

    public async Task<List<AuditEvent>> EventsAsync(AuditQuery? query = null)
    {
        var events = new List<AuditEvent>();
        await foreach (var entry in Log.ReadAsync(query ?? new AuditQuery(), CancellationToken.None))
        {
            events.Add(entry);
        }

        return events;
    }
}
