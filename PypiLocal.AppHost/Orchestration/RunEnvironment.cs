using System.Globalization;
using PypiLocal.AppHost.Hosting;

namespace PypiLocal.AppHost.Orchestration;

/// <summary>The environment Aspire's run mode gives a project replica (aspire.md §1).</summary>
internal static class RunEnvironment
{
    /// <param name="project">The project resource.</param>
    /// <param name="suffix">The replica's 8-character id (its name is <c>api-suffix</c>).</param>
    /// <param name="targetPort">The port this replica listens on.</param>
    /// <param name="available">Resources that are running; references to others are left out.</param>
    /// <param name="appHostEnvironment">The AppHost's own environment (dashboard OTLP settings).</param>
    public static Dictionary<string, string> ForReplica(
        ProjectResource project, string suffix, int targetPort, IReadOnlySet<string> available, Func<string, string?> appHostEnvironment)
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://localhost:{targetPort.ToString(CultureInfo.InvariantCulture)}",
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["LOGGING__CONSOLE__FORMATTERNAME"] = "simple",
            ["OTEL_SERVICE_NAME"] = project.Name,
            ["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={suffix}",
            ["OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EXCEPTION_LOG_ATTRIBUTES"] = "true",
            ["OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EVENT_LOG_ATTRIBUTES"] = "true",
            ["OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY"] = "in_memory",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "1000",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "1000",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
            ["OTEL_TRACES_SAMPLER"] = "always_on",
        };
        // OTLP only when a collector (the dashboard) is configured: the app stays silent otherwise.
        if (appHostEnvironment("ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL") is { Length: > 0 } grpc)
        {
            environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = grpc;
            environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc";
        }
        else if (appHostEnvironment("ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL") is { Length: > 0 } http)
        {
            environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = http;
            environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        }
        var unavailable = project.References.Where(r => !available.Contains(r.Name)).Select(r => r.Name).ToHashSet();
        foreach (var (name, value) in project.Environment)
        {
            if (unavailable.Any(r => name == $"ConnectionStrings__{r}" || name.StartsWith($"{r.ToUpperInvariant()}_", StringComparison.Ordinal)))
            {
                continue;
            }
            // Values that need an unallocated endpoint (e.g. CACHE_HOST for a user-given server) are left out.
            if (value.GetValue() is { } resolved)
            {
                environment[name] = resolved;
            }
        }
        return environment;
    }
}
