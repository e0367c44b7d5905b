using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;

namespace PypiLocal.Api.Hosting;

/// <summary>
/// ASP.NET's own request duration metric, <c>http.server.request.duration</c>, for the requests answered before its
/// hosting layer (<see cref="EarlyReadServer"/>): the same meter, instrument and tags, so a dashboard counts every
/// request in one series whichever way it was answered.
/// <para>
/// They are not counted in <c>http.server.active_requests</c>: an early answer is in flight for a few microseconds,
/// between two reads of its socket, so the gauge could hardly ever show one, and keeping it cost about 2 % of a cached
/// page's CPU (bench/README.md, "Pages answered before the hosting layer").
/// </para>
/// </summary>
internal sealed class HostingRequestMetrics
{
    private const string MeterName = "Microsoft.AspNetCore.Hosting";

    // The hosting layer's buckets for this histogram (semantic conventions for HTTP durations).
    private static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    // Boxed once: a tag's value is an object.
    private static readonly object Ok = StatusCodes.Status200OK;
    private static readonly object NotModified = StatusCodes.Status304NotModified;

    private readonly Histogram<double> _duration;

    [SuppressMessage("Reliability", "CA2000", Justification = "The factory owns its meters and disposes them with the host.")]
    public HostingRequestMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _duration = meter.CreateHistogram(
            "http.server.request.duration", "s", "Duration of HTTP server requests.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets });
    }

    /// <summary>The request begun at <paramref name="started"/> (a <see cref="Stopwatch"/> timestamp) has ended.</summary>
    public void End(string scheme, string method, int status, string route, Exception? exception, long started)
    {
        if (_duration.Enabled)
        {
            var tags = RequestTags(scheme, method);
            tags.Add("network.protocol.version", "1.1");
            tags.Add("http.response.status_code", status switch { StatusCodes.Status200OK => Ok, StatusCodes.Status304NotModified => NotModified, _ => status });
            tags.Add("http.route", route);
            if (exception is not null)
            {
                tags.Add("error.type", exception.GetType().FullName);
            }

            _duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
        }
    }

    private static TagList RequestTags(string scheme, string method) =>
        new() { { "url.scheme", scheme }, { "http.request.method", HttpMethods.IsHead(method) ? HttpMethods.Head : HttpMethods.Get } };
}
