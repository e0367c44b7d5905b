using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using PypiLocal.Core.Storage;
using PypiLocal.Core.Upstream;

namespace PypiLocal.Api.Hosting;

/// <summary>
/// Turns storage failures into answers a client can act on, never a 500 with a stack trace: an object
/// store that cannot be reached (or a folder that cannot be read) is 503 with Retry-After and a plain reason; an
/// upstream index that fails with nothing kept to stand in is 502 with the upstream's failure.
/// </summary>
internal static class StorageErrorsMiddleware
{
    public static WebApplication UseStorageErrors(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = exception => exception switch
            {
                UpstreamUnavailableException => StatusCodes.Status502BadGateway,
                IOException or UnauthorizedAccessException => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status500InternalServerError,
            },
            ExceptionHandler = WriteAsync,

            // An outage is expected and logged in one line below; a stack trace per request would bury it.
            SuppressDiagnosticsCallback = context => context.Exception is StorageUnavailableException or UpstreamUnavailableException,
        });
        return app;
    }

    private static async Task WriteAsync(HttpContext context)
    {
        var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var message = exception switch
        {
            StorageUnavailableException => "The package storage is unavailable; try again shortly.",
            UpstreamUnavailableException upstream => upstream.Message,
            IOException or UnauthorizedAccessException => "The package storage could not be read; try again shortly.",
            _ => "The server failed to answer this request.",
        };
        if (exception is StorageUnavailableException)
        {
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("PypiLocal.Storage")
                .LogWarning("{Method} {Path} answered 503: {Reason}", context.Request.Method, context.Request.Path, exception.Message);
        }

        if (context.Response.StatusCode == StatusCodes.Status503ServiceUnavailable)
        {
            var retryAfter = (exception as StorageUnavailableException)?.RetryAfter ?? TimeSpan.FromSeconds(5);
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(message + "\n");
    }
}
