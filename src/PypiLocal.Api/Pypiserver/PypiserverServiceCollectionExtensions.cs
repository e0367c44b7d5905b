using Microsoft.Extensions.DependencyInjection.Extensions;
using PypiLocal.Core.Indexing;

namespace PypiLocal.Api.Pypiserver;

internal static class PypiserverServiceCollectionExtensions
{
    /// <summary>The <c>Server</c> section (welcome page, health path, Cache-Control of files) and the welcome page it names.</summary>
    public static IServiceCollection AddPypiserverCompatibility(this IServiceCollection services)
    {
        services.AddOptions<PypiserverOptions>()
            .BindConfiguration(PypiserverOptions.SectionName)
            .Validate(o => o.HealthEndpoint.StartsWith('/'), "Server:HealthEndpoint must be a path starting with '/'.")
            .Validate(o => o.CacheControl is null or >= 0, "Server:CacheControl must be a number of seconds.")
            .Validate(o => o.WelcomeFile is null || File.Exists(o.WelcomeFile), "Server:WelcomeFile names no readable file.")
            .ValidateOnStart();
        services.TryAddSingleton<WelcomePage>();
        return services;
    }

    /// <summary>
    /// pypiserver's <c>--server-base-url</c>: requests may arrive with the prefix (a proxy that passes it on) or without it
    /// (a proxy that strips it); either way the prefix becomes the path base, which links and redirects carry.
    /// Routing comes after it (PypiLocalApplication), so it sees the path without the prefix.
    /// </summary>
    public static WebApplication UseServerBaseUrl(this WebApplication app)
    {
        var basePath = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<IndexOptions>>().Value.BasePath;
        if (basePath.Length == 0)
        {
            return app;
        }

        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(basePath, out var matched, out var remaining))
            {
                context.Request.PathBase = context.Request.PathBase.Add(matched);
                context.Request.Path = remaining;
            }
            else
            {
                context.Request.PathBase = context.Request.PathBase.Add(basePath);
            }

            return next(context);
        });

        return app;
    }
}
