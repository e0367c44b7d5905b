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

    // Every page request looks its page up, so hits and misses are counted in fields and read when the meter is
    // collected: a counter's Add with a tag costs as much as several of the page's header writes (bench/README.md).
    private static readonly string[] CacheVariants = ["html", "json", "view"];
    private static readonly long[] CacheHitCounts = new long[CacheVariants.Length];
    private static readonly long[] CacheMissCounts = new long[CacheVariants.Length];

    /// <summary>Index pages served from the cache, by tag "variant" (html, json, or view for the web and JSON API pages).</summary>
    public static readonly ObservableCounter<long> CacheHits =
        Meter.CreateObservableCounter("pypilocal.cache.hits", () => Observe(CacheHitCounts), "{hit}", "Index pages served from the cache");

    /// <summary>Index pages rendered from the catalog because the cache had no current entry, by tag "variant".</summary>
    public static readonly ObservableCounter<long> CacheMisses =
        Meter.CreateObservableCounter("pypilocal.cache.misses", () => Observe(CacheMissCounts), "{miss}", "Index pages rendered because the cache missed");

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

    /// <summary>Records a cache lookup result; <paramref name="variant"/> is html, json or view.</summary>
    public static void RecordCacheLookup(bool hit, string variant)
    {
        var index = Array.IndexOf(CacheVariants, variant);
        ArgumentOutOfRangeException.ThrowIfNegative(index, nameof(variant));
        Interlocked.Increment(ref (hit ? CacheHitCounts : CacheMissCounts)[index]);
    }

    private static IEnumerable<Measurement<long>> Observe(long[] counts)
    {
        for (var i = 0; i < counts.Length; i++)
        {
            yield return new Measurement<long>(Interlocked.Read(ref counts[i]), new KeyValuePair<string, object?>("variant", CacheVariants[i]));
        }
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
