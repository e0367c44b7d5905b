using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PypiLocal.Core.Storage;

namespace PypiLocal.Core.Audit;

/// <summary>
/// The audit trail in storage (the bucket, or the state directory through a <see cref="FolderBlobStore"/>): each event
/// one immutable object written create-only under its own key (S3 has no append), read back by listing in key order,
/// which is time order with a deterministic tie-break (<see cref="AuditKeys"/>). Nodes never coordinate: every event
/// has a key of its own, so each is kept exactly once.
/// </summary>
public sealed class AuditLog(IBlobStore store, TimeProvider time, ILogger<AuditLog> logger)
{
    // Event objects are fetched this many at a time, ahead of the one being answered, in order.
    private const int ReadAhead = 8;

    public async Task AppendAsync(AuditEvent entry, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(entry, AuditJsonContext.Default.AuditEvent);
        using var content = new MemoryStream(bytes, writable: false);

        // A refused create-only write means this key exists, and ids are unique: an earlier attempt of this same write
        // landed and its answer was lost. Either way the event is there once.
        await store.PutAsync(AuditKeys.Event(entry.Id), content, bytes.Length, BlobWriteCondition.IfNotExists, cancellationToken);
    }

    /// <summary>The events <paramref name="query"/> asks for, oldest first.</summary>
    public async IAsyncEnumerable<AuditEvent> ReadAsync(AuditQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pending = new Queue<Task<AuditEvent?>>();
        await foreach (var id in IdsAsync(query.Since, cancellationToken))
        {
            pending.Enqueue(ReadEventAsync(id, cancellationToken));
            if (pending.Count >= ReadAhead && await pending.Dequeue() is { } entry && query.Matches(entry))
            {
                yield return entry;
            }
        }

        while (pending.Count > 0)
        {
            if (await pending.Dequeue() is { } entry && query.Matches(entry))
            {
                yield return entry;
            }
        }
    }

    /// <summary>
    /// Records <paramref name="fingerprint"/> as the current trusted-publisher set unless it already is; true when this
    /// caller changed it (one of several nodes starting at once wins), which is when the change is to be recorded.
    /// Before anything was recorded the set counts as <paramref name="initial"/> (none configured).
    /// </summary>
    public async Task<bool> ClaimPublishersAsync(string fingerprint, string initial, CancellationToken cancellationToken)
    {
        var current = await store.ReadVersionAsync(AuditKeys.Publishers, cancellationToken);
        var last = current is null ? initial : JsonSerializer.Deserialize(current.Content, AuditJsonContext.Default.PublishersRecord)?.Fingerprint;
        if (last == fingerprint)
        {
            return false;
        }

        var bytes = JsonSerializer.SerializeToUtf8Bytes(new PublishersRecord(fingerprint, time.GetUtcNow()), AuditJsonContext.Default.PublishersRecord);
        using var content = new MemoryStream(bytes, writable: false);
        var condition = current is null ? BlobWriteCondition.IfNotExists : BlobWriteCondition.IfMatch(current.ETag);
        return (await store.PutAsync(AuditKeys.Publishers, content, bytes.Length, condition, cancellationToken)).Written;
    }

    /// <summary>Event ids from <paramref name="since"/> on, in order: only the months from then are listed.</summary>
    private async IAsyncEnumerable<string> IdsAsync(DateTimeOffset? since, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var first = since is { } start ? AuditKeys.NewId(Math.Max(start.UtcTicks, 0), "") : "";
        foreach (var prefix in Prefixes(since))
        {
            await foreach (var blob in store.ListAsync(prefix, cancellationToken))
            {
                if (AuditKeys.IdOf(blob.Key) is { } id && string.CompareOrdinal(id, first) >= 0)
                {
                    yield return id;
                }
            }
        }
    }

    private IEnumerable<string> Prefixes(DateTimeOffset? since)
    {
        if (since is not { } start)
        {
            yield return AuditKeys.EventsPrefix;
            yield break;
        }

        // Up to a month past this reader's clock: a writer's clock may run ahead of it.
        var last = time.GetUtcNow().UtcDateTime.AddMonths(1);
        for (var month = new DateTime(start.UtcDateTime.Year, start.UtcDateTime.Month, 1, 0, 0, 0, DateTimeKind.Utc); month <= last; month = month.AddMonths(1))
        {
            yield return AuditKeys.MonthPrefix(month);
        }
    }

    private async Task<AuditEvent?> ReadEventAsync(string id, CancellationToken cancellationToken)
    {
        var stored = await store.ReadVersionAsync(AuditKeys.Event(id), cancellationToken);
        if (stored is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(stored.Content, AuditJsonContext.Default.AuditEvent);
        }
        catch (JsonException e)
        {
            logger.LogWarning("Skipping the unreadable audit event {Id}: {Reason}", id, e.Message);
            return null;
        }
    }
}
