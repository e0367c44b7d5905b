using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using PypiLocal.Core.Auth;
using PypiLocal.Core.Publishing;

namespace PypiLocal.Api.Publishing;

/// <summary>
/// Maps publishing outcomes to HTTP, in one place, as the upload clients read them (docs/protocol.md#upload-answers): the message
/// in the reason phrase (twine prints it), repeated in the body (uv), as <c>{"message","code","title"}</c> with
/// Content-Type exactly <c>application/json</c> when the client prefers JSON.
/// </summary>
internal static class PublishingResponses
{
    public static int StatusCodeOf(UploadStatus status) => status switch
    {
        UploadStatus.Created or UploadStatus.Identical or UploadStatus.Changed => StatusCodes.Status200OK,
        UploadStatus.Conflict => StatusCodes.Status409Conflict,
        UploadStatus.Forbidden => StatusCodes.Status403Forbidden,
        UploadStatus.TooLarge => StatusCodes.Status413PayloadTooLarge,
        UploadStatus.NotFound => StatusCodes.Status404NotFound,
        _ => StatusCodes.Status400BadRequest,
    };

    /// <summary>An upload's answer: 200 with the (usually empty) message as body, or the error.</summary>
    public static Task WriteUploadAsync(HttpContext context, UploadOutcome outcome) =>
        outcome.Succeeded
            ? WriteTextAsync(context, StatusCodes.Status200OK, outcome.Message)
            : WriteErrorAsync(context, StatusCodeOf(outcome.Status), outcome.Message);

    /// <summary>A management answer: 200 with the files touched as JSON, or the error.</summary>
    public static async Task WriteManagementAsync(HttpContext context, UploadOutcome outcome)
    {
        if (!outcome.Succeeded)
        {
            await WriteErrorAsync(context, StatusCodeOf(outcome.Status), outcome.Message);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            message = outcome.Message,
            files = outcome.Files.Select(f => new { project = f.Project, filename = f.Filename, version = f.Version }),
        }, cancellationToken: context.RequestAborted);
    }

    /// <summary>401 asking for Basic credentials, or 403; the decision's message as the reason.</summary>
    public static Task WriteAccessDeniedAsync(HttpContext context, AccessDecision decision, string realm)
    {
        if (decision.Result == AccessResult.Challenge)
        {
            context.Response.Headers.WWWAuthenticate = $"Basic realm=\"{realm}\"";
            return WriteErrorAsync(context, StatusCodes.Status401Unauthorized, decision.Message);
        }

        return WriteErrorAsync(context, StatusCodes.Status403Forbidden, decision.Message);
    }

    public static async Task WriteErrorAsync(HttpContext context, int statusCode, string message)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.StatusCode = statusCode;
        if (context.Features.Get<IHttpResponseFeature>() is { } feature)
        {
            feature.ReasonPhrase = ToReasonPhrase(message);
        }

        if (PrefersJson(context.Request))
        {
            var title = ReasonPhrases.GetReasonPhrase(statusCode);
            context.Response.ContentType = "application/json";
            await JsonSerializer.SerializeAsync(context.Response.Body, new
            {
                message,
                code = $"{statusCode} {message}",
                title,
            }, cancellationToken: context.RequestAborted);
            return;
        }

        await WriteTextAsync(context, statusCode, message);
    }

    /// <summary>The status line allows ISO-8859-1 without CR or LF: anything else becomes a space or '?'.</summary>
    internal static string ToReasonPhrase(string message)
    {
        var builder = new StringBuilder(Math.Min(message.Length, 400));
        foreach (var c in message)
        {
            if (builder.Length == 400)
            {
                break;
            }

            builder.Append(c switch
            {
                '\r' or '\n' or '\t' => ' ',
                < ' ' or '\x7f' => '?',
                > '\xff' => '?',
                _ => c,
            });
        }

        var phrase = builder.ToString().Trim();
        return phrase.Length == 0 ? "Error" : phrase;
    }

    /// <summary>
    /// True when application/json is listed and weighs at least as much as any text type. uv asks
    /// <c>application/json;q=0.9, text/plain;q=0.8, text/html;q=0.7</c>; twine sends <c>*/*</c> and gets text.
    /// </summary>
    internal static bool PrefersJson(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted))
        {
            return false;
        }

        double json = -1, text = 0;
        foreach (var range in accepted)
        {
            var quality = range.Quality ?? 1;
            if (range.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
            {
                json = Math.Max(json, quality);
            }
            else if (range.MediaType.StartsWith("text/", StringComparison.OrdinalIgnoreCase))
            {
                text = Math.Max(text, quality);
            }
        }

        return json > 0 && json >= text;
    }

    private static async Task WriteTextAsync(HttpContext context, int statusCode, string message)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "text/plain; charset=utf-8";
        if (message.Length > 0)
        {
            await context.Response.WriteAsync(message + "\n", context.RequestAborted);
        }
    }
}
