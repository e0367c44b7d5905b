using Microsoft.Extensions.Options;

namespace PypiLocal.Api.Security;

internal static class SecurityApplicationBuilderExtensions
{
    public static IServiceCollection AddPypiLocalSecurity(this IServiceCollection services)
    {
        services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SecurityOptions>, SecurityOptionsValidator>();
        services.AddSingleton<IPostConfigureOptions<Microsoft.AspNetCore.Builder.ForwardedHeadersOptions>, ForwardedHeadersSetup>();
        services.AddSingleton<ImageSources>();
        services.AddSingleton<SecurityHeaders>();
        return services;
    }

    /// <summary>
    /// Forwarded headers from trusted proxies first (the guard compares origins with the address clients used), then
    /// the security headers on every answer, then the cross-site guard in front of every endpoint.
    /// </summary>
    public static WebApplication UsePypiLocalSecurity(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<SecurityOptions>>().Value.TrustedProxies.Count > 0
            && !app.Configuration.GetValue<bool>("FORWARDEDHEADERS_ENABLED"))
        {
            app.UseForwardedHeaders(); // with FORWARDEDHEADERS_ENABLED the host has added it already
        }

        var headers = app.Services.GetRequiredService<SecurityHeaders>();
        app.Use((context, next) =>
        {
            headers.Apply(context.Response.Headers);
            return next(context);
        });
        app.UseMiddleware<CrossSiteRequestGuard>();
        return app;
    }
}
