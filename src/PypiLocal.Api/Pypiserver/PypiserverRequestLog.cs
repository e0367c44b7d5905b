using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;

namespace PypiLocal.Api.Pypiserver;

/// <summary>
/// pypiserver's request, response and error log lines (at INFO, so from <c>-v</c> on), in the formats
/// <c>--log-req-frmt</c>, <c>--log-res-frmt</c> and <c>--log-err-frmt</c> name, over the values its WSGI stack offers.
/// </summary>
internal static class PypiserverRequestLog
{
    public static WebApplication UsePypiserverRequestLog(this WebApplication app, PypiserverLogging logging)
    {
        if (logging.MinimumLevel > LogLevel.Information)
        {
            return app;
        }

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("pypiserver._app");
        app.Use(async (context, next) =>
        {
            if (!logger.IsEnabled(LogLevel.Information))
            {
                await next(context);
                return;
            }

            LogRequest(logger, PythonLogFormat.Format(logging.RequestFormat, RequestValues(context.Request)), null);
            await next(context);
            var response = context.Response;
            var status = $"{response.StatusCode} {ReasonOf(context)}";
            LogResponse(logger, PythonLogFormat.Format(logging.ResponseFormat, new Dictionary<string, object?>
            {
                ["status"] = status,
                ["status_code"] = response.StatusCode,
                ["headers"] = string.Join(", ", response.Headers.Select(h => $"{h.Key}: {h.Value}")),
                ["body"] = "",
                ["cookies"] = "",
                ["response"] = $"<LocalResponse: {status}>",
            }), null);
            if (response.StatusCode >= 400)
            {
                LogError(logger, PythonLogFormat.Format(logging.ErrorFormat, new Dictionary<string, object?>
                {
                    ["status"] = status,
                    ["status_code"] = response.StatusCode,
                    ["status_line"] = status,
                    ["body"] = ReasonOf(context),
                    ["exception"] = null,
                    ["traceback"] = null,
                }), null);
            }
        });
        return app;
    }

    // A line or two per request: templates parsed once. Event id 0 for all three, as pypiserver's lines have none.
    private static readonly Action<ILogger, string, Exception?> LogRequest = LoggerMessage.Define<string>(LogLevel.Information, 0, "{Request}");
    private static readonly Action<ILogger, string, Exception?> LogResponse = LoggerMessage.Define<string>(LogLevel.Information, 0, "{Response}");
    private static readonly Action<ILogger, string, Exception?> LogError = LoggerMessage.Define<string>(LogLevel.Information, 0, "{Error}");

    private static string ReasonOf(HttpContext context) =>
        context.Features.Get<IHttpResponseFeature>()?.ReasonPhrase is { Length: > 0 } reason ? reason : ReasonPhrases.GetReasonPhrase(context.Response.StatusCode);

    /// <summary>The WSGI environ keys pypiserver's request format can name.</summary>
    private static Dictionary<string, object?> RequestValues(HttpRequest request)
    {
        var url = $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}{request.QueryString}";
        return new Dictionary<string, object?>
        {
            ["bottle.request"] = $"<LocalRequest: {request.Method} {url}>",
            ["REQUEST_METHOD"] = request.Method,
            ["PATH_INFO"] = request.Path.Value,
            ["SCRIPT_NAME"] = request.PathBase.Value,
            ["QUERY_STRING"] = request.QueryString.Value?.TrimStart('?') ?? "",
            ["SERVER_PROTOCOL"] = request.Protocol,
            ["REMOTE_ADDR"] = request.HttpContext.Connection.RemoteIpAddress?.ToString(),
            ["REMOTE_PORT"] = request.HttpContext.Connection.RemotePort,
            ["HTTP_HOST"] = request.Host.Value,
            ["HTTP_USER_AGENT"] = request.Headers.UserAgent.ToString(),
            ["HTTP_ACCEPT"] = request.Headers.Accept.ToString(),
            ["CONTENT_TYPE"] = request.ContentType ?? "",
            ["CONTENT_LENGTH"] = request.ContentLength?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
            ["wsgi.url_scheme"] = request.Scheme,
        };
    }
}
