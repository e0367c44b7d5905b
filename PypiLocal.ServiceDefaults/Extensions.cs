using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

// Adds common Aspire services: service discovery, resilience, health checks, and OpenTelemetry.
// This is Aspire's ServiceDefaults template with five changes: /health and /alive are mapped in every
// environment (Kubernetes probes need them), /metrics serves Prometheus, the "PypiLocal" meter is exported,
// traces are collected only when an OTLP collector is configured, and one view drops instruments recorded per
// request that few read and gives those with few tag values a smaller cardinality limit.
public static class Extensions
{
    /// <summary>The app's own meter and activity source (PypiLocal.Core.Diagnostics.PypiLocalMetrics), exported by name.</summary>
    public const string AppMeterName = "PypiLocal";

    private const string HealthEndpointPath = "/health";
    private const string AlivenessEndpointPath = "/alive";
    private const string MetricsEndpointPath = "/metrics";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();

        builder.AddDefaultHealthChecks();

        builder.Services.AddServiceDiscovery();

        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            // Turn on resilience by default
            http.AddStandardResilienceHandler();

            // Turn on service discovery by default
            http.AddServiceDiscovery();
        });

        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var telemetry = builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddMeter(AppMeterName)
                    .AddView(StreamOf)
                    .AddPrometheusExporter();
            });

        // A listener makes every request build an Activity with its tags: about a quarter of the CPU of a cached
        // page (bench/README.md). Without a collector nobody reads them, so listen only when there is one.
        if (HasOtlpCollector(builder))
        {
            telemetry.WithTracing(tracing =>
            {
                tracing.AddSource(builder.Environment.ApplicationName)
                    .AddSource(AppMeterName)
                    .AddAspNetCoreInstrumentation(tracing =>
                        // Exclude health check and scrape requests from tracing
                        tracing.Filter = context => !IsInfrastructurePath(context.Request.Path))
                    .AddHttpClientInstrumentation();
            });
        }
        else if (builder.Configuration["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] is null)
        {
            // Likewise: while anything logs this category, each request starts an Activity and a log scope (its id,
            // path and trace id) for the lines written during it, about 8% of a cached page's CPU. Only an exporter
            // shows scopes (the console does not by default), and the category's own lines are Information.
            builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        }

        builder.AddOpenTelemetryExporters();

        return builder;
    }

    // Every metric stream allocates room for its cardinality limit of tag combinations up front: the default 2,000 cost
    // about 140 KiB a stream, 6 MiB resident for the 44 streams here (bench/README.md). Only ASP.NET Core's server and
    // routing instruments are tagged by route and status code; the others' tags take a handful of values each.
    private const int FewTagsLimit = 200;

    // One view decides for every instrument: where several views match one, each makes a stream of its own.
    private static MetricStreamConfiguration? StreamOf(Instrument instrument) => instrument.Name switch
    {
        // Recorded on every buffer rent and route match, several times per request, and read by almost nobody:
        // together about 3% of the CPU of a cached page (bench/README.md). Dropped, the instruments are disabled and
        // Kestrel and routing skip them.
        var name when name.StartsWith("aspnetcore.memory_pool.", StringComparison.Ordinal) => MetricStreamConfiguration.Drop,
        "aspnetcore.routing.match_attempts" => MetricStreamConfiguration.Drop,
        _ when IsRouteTagged(instrument) => null,
        _ => new MetricStreamConfiguration { CardinalityLimit = FewTagsLimit },
    };

    private static bool IsRouteTagged(Instrument instrument) =>
        instrument.Meter.Name is "Microsoft.AspNetCore.Hosting" or "Microsoft.AspNetCore.Routing";

    private static TBuilder AddOpenTelemetryExporters<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // OTLP only when a collector is configured: without one the exporter would retry and log forever.
        if (HasOtlpCollector(builder))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            // Add a default liveness check to ensure app is responsive
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);

        return builder;
    }

    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        // Mapped in every environment: load balancers and Kubernetes probes call them in Production.
        // Degraded (e.g. the cache is down) still answers 200 so the node stays in rotation.
        app.MapHealthChecks(HealthEndpointPath, new HealthCheckOptions { ResultStatusCodes = HealthStatusCodes() });

        // Only health checks tagged with the "live" tag must pass for app to be considered alive
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains("live"),
            ResultStatusCodes = HealthStatusCodes(),
        });

        app.MapPrometheusScrapingEndpoint(MetricsEndpointPath);

        return app;
    }

    /// <summary>Degraded still answers 200, so a node whose cache is down stays in rotation; for every health endpoint the app maps.</summary>
    public static Dictionary<HealthStatus, int> HealthStatusCodes() => new()
    {
        [HealthStatus.Healthy] = Microsoft.AspNetCore.Http.StatusCodes.Status200OK,
        [HealthStatus.Degraded] = Microsoft.AspNetCore.Http.StatusCodes.Status200OK,
        [HealthStatus.Unhealthy] = Microsoft.AspNetCore.Http.StatusCodes.Status503ServiceUnavailable,
    };

    private static bool HasOtlpCollector(IHostApplicationBuilder builder) =>
        !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

    private static bool IsInfrastructurePath(PathString path) =>
        path.StartsWithSegments(HealthEndpointPath, StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments(AlivenessEndpointPath, StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments(MetricsEndpointPath, StringComparison.OrdinalIgnoreCase);
}
