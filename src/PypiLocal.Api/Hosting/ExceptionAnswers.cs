using Microsoft.AspNetCore.Diagnostics;
using PypiLocal.Api.Http;
using PypiLocal.Api.Security;
using PypiLocal.Core.IO;
using PypiLocal.Core.Storage;
using PypiLocal.Core.Upstream;

namespace PypiLocal.Api.Hosting;

/// <summary>
/// Answers the exceptions that escape endpoints through <see cref="HttpOutcomes.Of"/>, so a malformed upload, an
/// oversized form or an unreachable store gets the same error form as every other answer, never a stack trace.
/// </summary>
internal static class ExceptionAnswers
{
    public static WebApplication UseExceptionAnswers(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = exception => HttpOutcomes.Of(exception).StatusCode,
            ExceptionHandler = AnswerAsync,

            // Expected answers, an outage and a full disk (logged in one line below) need no stack trace per request.
            SuppressDiagnosticsCallback = context => HttpOutcomes.IsExpected(context.Exception) || HttpOutcomes.IsAbandoned(context.HttpContext, context.Exception),
        });
        return app;
    }

    private static Task AnswerAsync(HttpContext context)
    {
        var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("PypiLocal.Api");
        if (HttpOutcomes.IsAbandoned(context, exception))
        {
            // Nothing was stored (a staged upload is already deleted); the client is not there to read an answer.
            logger.LogInformation("{Method} {Path} from {Remote} abandoned: {Reason}", context.Request.Method, context.Request.Path, context.Connection.RemoteIpAddress, exception?.Message);
            return Task.CompletedTask;
        }

        var answer = HttpOutcomes.Of(exception);
        if (exception is StorageUnavailableException or UpstreamUnavailableException || DiskFull.Is(exception))
        {
            logger.LogWarning("{Method} {Path} answered {Status}: {Reason}", context.Request.Method, context.Request.Path, answer.StatusCode, exception.Message);
        }

        // The exception handler cleared the headers set before the endpoint ran.
        context.RequestServices.GetRequiredService<SecurityHeaders>().Apply(context.Response.Headers);
        return answer.ExecuteAsync(context);
    }
}
