using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using PypiLocal.Api.Http;

namespace PypiLocal.Api.Hosting;

/// <summary>
/// An optional cap on reads without credentials per client address (<c>RateLimit:AnonymousReadsPerMinute</c>, off by
/// default), with ASP.NET's rate limiter: past it, 429 with Retry-After. Requests with credentials and writes are
/// not counted; those are bounded by the login throttle. Off, it adds nothing to the request path.
/// </summary>
internal static class AnonymousReadLimit
{
    public const string SectionName = "RateLimit";

    public static IServiceCollection AddAnonymousReadLimit(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>()
            .BindConfiguration(SectionName)
            .Validate(o => o.AnonymousReadsPerMinute >= 0, "RateLimit:AnonymousReadsPerMinute must be 0 (off) or more.")
            .ValidateOnStart();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, settings) =>
        {
            var perMinute = settings.Value.AnonymousReadsPerMinute;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => IsAnonymousRead(context.Request)
                ? RateLimitPartition.GetFixedWindowLimiter(
                    "address " + context.Connection.RemoteIpAddress,
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
                : RateLimitPartition.GetNoLimiter("not counted")); // partitions are cached by key: keep the keys apart
            limiter.OnRejected = (rejected, _) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                return new ValueTask(HttpOutcomes.TooManyRequests("Too many requests from this address; try again shortly.", retryAfter).ExecuteAsync(rejected.HttpContext));
            };
        });
        return services;
    }

    public static WebApplication UseAnonymousReadLimit(this WebApplication app)
    {
        if (IsOn(app.Services))
        {
            app.UseRateLimiter();
        }

        return app;
    }

    /// <summary>Whether reads without credentials are limited (and so counted) at all.</summary>
    public static bool IsOn(IServiceProvider services) => services.GetRequiredService<IOptions<RateLimitOptions>>().Value.AnonymousReadsPerMinute > 0;

    /// <summary>A <c>GET</c> or <c>HEAD</c> without credentials.</summary>
    public static bool IsAnonymousRead(HttpRequest request) => IsAnonymousRead(request.Method, request.Headers);

    /// <inheritdoc cref="IsAnonymousRead(HttpRequest)"/>
    public static bool IsAnonymousRead(string method, IHeaderDictionary headers) =>
        (HttpMethods.IsGet(method) || HttpMethods.IsHead(method)) && headers.Authorization.Count == 0;
}

/// <summary>Section <c>RateLimit</c>.</summary>
internal sealed class RateLimitOptions
{
    /// <summary>Reads without credentials one client address may make per minute; 0 (the default) for no limit.</summary>
    public int AnonymousReadsPerMinute { get; set; }
}
