using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace PypiLocal.Core.Diagnostics;

/// <summary>
/// The "PypiLocal" meter and its instruments. Request counts and durations come from the ASP.NET Core
/// instrumentation; these add what only the app knows. Static so any layer can record without DI; the
/// service defaults export the meter by its name.
/// </summary>
public static class PypiLocalMetrics
{
    public const string MeterName = "PypiLocal";

    public static readonly Meter Meter = new(MeterName, typeof(PypiLocalMetrics).Assembly.GetName().Version?.ToString());

    /// <summary>Index pages served from the cache. Tag "variant" (html/json) is welcome.</summary>
    public static readonly Counter<long> CacheHits =
        Meter.CreateCounter<long>("pypilocal.cache.hits", "{hit}", "Index pages served from the cache");

    /// <summary>Index pages rendered from the catalog because the cache had no entry.</summary>
    public static readonly Counter<long> CacheMisses =
        Meter.CreateCounter<long>("pypilocal.cache.misses", "{miss}", "Index pages rendered because the cache missed");

    /// <summary>Upload attempts; tag "outcome" = created/duplicate/conflict/invalid.</summary>
    public static readonly Counter<long> Uploads =
        Meter.CreateCounter<long>("pypilocal.uploads", "{file}", "Distribution files received by the upload API");

    /// <summary>Bytes stored by accepted uploads.</summary>
    public static readonly Counter<long> UploadedBytes =
        Meter.CreateCounter<long>("pypilocal.uploads.bytes", "By", "Bytes of accepted distribution files");

    /// <summary>Duration of one storage call; tag "operation" = get/put/list/delete/stat.</summary>
    public static readonly Histogram<double> StorageDuration =
        Meter.CreateHistogram<double>("pypilocal.storage.duration", "s", "Duration of object storage operations");

    /// <summary>Upstream transfers; tag "kind" = page/file/metadata, "outcome" = kept/not-found/not-modified/failed.</summary>
    public static readonly Counter<long> UpstreamFetches =
        Meter.CreateCounter<long>("pypilocal.upstream.fetches", "{request}", "Requests this node made to upstream indexes");

    /// <summary>Audit events that could not be written after their change was kept (the event is logged at Error level instead).</summary>
    public static readonly Counter<long> AuditFailures =
        Meter.CreateCounter<long>("pypilocal.audit.failures", "{event}", "Audit events that could not be written");

    public static void RecordUpstreamFetch(string kind, string outcome) =>
        UpstreamFetches.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>Records a cache lookup result.</summary>
    public static void RecordCacheLookup(bool hit, string variant)
    {
        var tag = new KeyValuePair<string, object?>("variant", variant);
        (hit ? CacheHits : CacheMisses).Add(1, tag);
    }

    /// <summary>Records an upload outcome and, when created, its size.</summary>
    public static void RecordUpload(string outcome, long bytes)
    {
        Uploads.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        if (outcome == "created")
        {
            UploadedBytes.Add(bytes);
        }
    }

    /// <summary>Times a storage operation: <c>using (PypiLocalMetrics.TimeStorage("put")) { … }</c>.</summary>
    public static StorageTimer TimeStorage(string operation) => new(operation, Stopwatch.GetTimestamp());
}
