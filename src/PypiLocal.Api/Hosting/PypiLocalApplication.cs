using Microsoft.Extensions.Options;
using PypiLocal.Api.Audit;
using PypiLocal.Api.Commands;
using PypiLocal.Api.Endpoints;
using PypiLocal.Api.Http;
using PypiLocal.Api.Pypiserver;
using PypiLocal.Api.Security;
using PypiLocal.Api.Upstream;
using PypiLocal.Core.Audit;
using PypiLocal.Core.Indexing;
using PypiLocal.Infrastructure.Caching;

namespace PypiLocal.Api.Hosting;

/// <summary>Builds the web application: configuration, services and endpoints, in one place.</summary>
internal static class PypiLocalApplication
{
    public static WebApplication Build(string[] hostArgs, ServeSettings settings)
    {
        // Settings files are read beside the executable (README), not from wherever the server was started: the
        // content root is watched for changes to them, and a watch on a working directory holding the packages
        // would add an inotify watch for every directory under it.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = hostArgs, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(settings.ToConfiguration());
        ConfigureUrls(builder, settings);
        builder.UseEventLoopTransport();

        // A line per request costs a third of the throughput of a cached page; keep ASP.NET's own logs and the
        // upstream HTTP clients' at Warning unless configuration says otherwise (wherever the process was started
        // from). The resilience pipeline logs every failed attempt with a stack trace (about 150 lines per request
        // while an upstream is down); the upstream services log each failure once, in one line, so it is off.
        foreach (var (category, level) in new[] { ("Microsoft.AspNetCore", LogLevel.Warning), ("System.Net.Http.HttpClient", LogLevel.Warning), ("Polly", LogLevel.None) })
        {
            if (builder.Configuration[$"Logging:LogLevel:{category}"] is null)
            {
                builder.Logging.AddFilter(category, level);
            }
        }

        // Likewise the resilience handlers' lines per request and per retry (stack traces included): an outage
        // is logged once per failed request (ExceptionAnswers); retries show in the resilience metrics.
        if (builder.Configuration["Logging:LogLevel:Polly"] is null)
        {
            builder.Logging.AddFilter("Polly", LogLevel.Critical);
        }

        builder.AddServiceDefaults();
        settings.Logging?.Configure(builder);
        builder.AddRedisPageCacheClient();
        builder.Services.AddPypiLocal(builder.Configuration);
        builder.Services.AddApiJson();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<IAuditOrigin, HttpAuditOrigin>();
        EarlyReadServer.AddTo(builder.Services, services => settings.Logging is null && PipelineLeavesReadsAlone(services));

        var app = builder.Build();
        app.UseEventLoopServing();
        app.UseServerBaseUrl();
        if (settings.Logging is { } logging)
        {
            app.UsePypiserverRequestLog(logging);
        }

        app.UsePypiLocalSecurity();
        app.UseExceptionAnswers();
        app.UseAnonymousReadLimit();
        app.Use(ActivatorUtilities.CreateInstance<ReadShortcut>(app.Services).InvokeAsync);

        // Here, not first as it would be left implicit: after the base path is taken off and the shortcut has answered.
        app.UseRouting();
        app.MapDefaultEndpoints();
        app.MapHomeEndpoints();
        app.MapWebEndpoints();
        app.MapSimpleEndpoints();
        app.MapPackageEndpoints();
        app.MapJsonApiEndpoints();
        app.MapIntegrityEndpoints();
        app.MapTrustedPublishingEndpoints();
        app.MapAuditEndpoints();
        app.MapPublishingEndpoints();
        app.MapUpstreamCacheEndpoints();
        app.MapPypiserverEndpoints();
        return app;
    }

    /// <summary>
    /// Whether the middleware in front of the endpoints leaves the answer to a page or file read as the endpoint wrote
    /// it, so the server may answer it before them (<see cref="EarlyReadServer"/>): no base path to take off, no read
    /// limit to count against, no forwarded headers to apply, no health check answering under <c>/simple/</c> or
    /// <c>/packages/</c>. (The pypiserver request log, the other one, is known from the settings.)
    /// </summary>
    private static bool PipelineLeavesReadsAlone(IServiceProvider services) =>
        services.GetRequiredService<IOptions<IndexOptions>>().Value.BasePath.Length == 0
        && !AnonymousReadLimit.IsOn(services)
        && services.GetRequiredService<IOptions<SecurityOptions>>().Value.TrustedProxies.Count == 0
        && !services.GetRequiredService<IConfiguration>().GetValue<bool>("FORWARDEDHEADERS_ENABLED")
        && services.GetRequiredService<IOptions<PypiserverOptions>>().Value.HealthEndpoint is var health
        && !health.StartsWith("/simple", StringComparison.OrdinalIgnoreCase) && !health.StartsWith("/packages", StringComparison.OrdinalIgnoreCase);

    /// <summary>--port/--host win; else ASPNETCORE_URLS or urls from configuration; else pypiserver's 0.0.0.0:8080.</summary>
    private static void ConfigureUrls(WebApplicationBuilder builder, ServeSettings settings)
    {
        var configured = builder.Configuration["urls"] ?? builder.Configuration["http_ports"];
        if (settings.Port is null && settings.Host is null && !string.IsNullOrEmpty(configured))
        {
            return;
        }

        var host = settings.Host ?? "0.0.0.0";
        builder.WebHost.UseUrls($"http://{(host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host)}:{settings.Port ?? ServeSettings.DefaultPort}");
    }
}
