using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using System.Diagnostics.Metrics;

namespace PypiLocal.EndToEndTests.Hosting;

public sealed class ServiceDefaultsTests
{
    /// <summary>A real Kestrel app with the service defaults and one extra "storage" check of the given status.</summary>
    private static async Task<(WebApplication App, HttpClient Client)> StartAsync(HealthStatus storage, string environment = "Production")
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddServiceDefaults();
        builder.Services.AddHealthChecks().AddCheck("storage", () => new HealthCheckResult(storage));
        var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new HttpClient { BaseAddress = new Uri(address) });
    }

    [Theory]
    [InlineData(HealthStatus.Healthy, 200, "Healthy")]
    [InlineData(HealthStatus.Degraded, 200, "Degraded")]
    [InlineData(HealthStatus.Unhealthy, 503, "Unhealthy")]
    public async Task Health_reports_status_in_Production_with_the_right_code(HealthStatus storage, int code, string body)
    {
        var (app, client) = await StartAsync(storage);
        await using (app)
        {
            using var response = await client.GetAsync("/health");

            Assert.Equal(code, (int)response.StatusCode);
            Assert.Equal(body, await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Alive_runs_only_the_live_checks()
    {
        var (app, client) = await StartAsync(HealthStatus.Unhealthy);
        await using (app)
        {
            using var response = await client.GetAsync("/alive");

            Assert.Equal(200, (int)response.StatusCode);
            Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Metrics_serves_Prometheus_text_with_the_app_meter()
    {
        var (app, client) = await StartAsync(HealthStatus.Healthy, "Development");
        await using (app)
        {
            (await client.GetAsync("/health")).Dispose();
            // The app's instruments live in PypiLocal.Core; the defaults export any meter of that name.
            using var meter = new Meter(Extensions.AppMeterName);
            meter.CreateCounter<long>("pypilocal.cache.hits").Add(1);
            meter.CreateCounter<long>("pypilocal.cache.misses").Add(1);
            meter.CreateCounter<long>("pypilocal.uploads").Add(1);
            meter.CreateHistogram<double>("pypilocal.storage.duration", "s").Record(0.01);

            var text = await client.GetStringAsync("/metrics");

            Assert.Contains("pypilocal_cache_hits", text, StringComparison.Ordinal);
            Assert.Contains("pypilocal_cache_misses", text, StringComparison.Ordinal);
            Assert.Contains("pypilocal_uploads", text, StringComparison.Ordinal);
            Assert.Contains("pypilocal_storage_duration_seconds_bucket", text, StringComparison.Ordinal);
            Assert.Contains("http_server_request_duration_seconds", text, StringComparison.Ordinal);
        }
    }
}
