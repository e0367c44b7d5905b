using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using PypiLocal.Api.Hosting;

namespace PypiLocal.Api.Endpoints;

/// <summary>
/// The reads the server answers as soon as a request is parsed (<see cref="EarlyReadServer"/>): a cached project page
/// (<see cref="EarlyPages"/>), or a file or <c>.metadata</c> held here (<see cref="EarlyFiles"/>), asked for by an
/// anonymous HTTP/1.1 <c>GET</c> or <c>HEAD</c> with no query or body. Every request goes the whole way while ASP.NET's
/// request activity is traced or its request log is on, since those see only requests that reach the hosting layer.
/// </summary>
internal sealed class EarlyReads(EarlyPages pages, EarlyFiles files, DiagnosticListener hostingDiagnostics, ILoggerFactory loggers)
{
    // Any listener here would see the hosting layer's activity of each request (OpenTelemetry tracing does).
    private static readonly ActivitySource HostingActivities = new("Microsoft.AspNetCore");

    private readonly ILogger _hostingLog = loggers.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics");

    public EarlyPages Pages => pages;

    public EarlyFiles Files => files;

    /// <summary>Starts the lookup of a read to answer early (<see cref="EarlyReadRequest.Page"/> or <see cref="EarlyReadRequest.File"/>); false to hand the request to the hosting layer.</summary>
    public bool Look(IFeatureCollection features, EarlyReadRequest read)
    {
        var request = features.Get<IHttpRequestFeature>();
        if (request is null
            || !AnonymousReadLimit.IsAnonymousRead(request.Method, request.Headers)
            || !HttpProtocol.IsHttp11(request.Protocol)
            || request.QueryString.Length > 0
            || features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: true }
            || hostingDiagnostics.IsEnabled() || HostingActivities.HasListeners() || _hostingLog.IsEnabled(LogLevel.Information))
        {
            return false;
        }

        var aborted = Aborted(features);
        return (read.Page = pages.Look(request, aborted)) is not null || (read.File = files.Look(request, aborted)) is not null;
    }

    /// <summary>The request's abort token, as the hosting layer's <c>HttpContext.RequestAborted</c> gives it.</summary>
    public static CancellationToken Aborted(IFeatureCollection features) => features.Get<IHttpRequestLifetimeFeature>()?.RequestAborted ?? default;
}
