using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using PypiLocal.Api.Web;

namespace PypiLocal.Api.Http;

/// <summary>
/// The one way this index answers an error, in the form each client reads (docs/protocol.md#upload-answers):
/// the message as the HTTP reason phrase (twine prints only that) and again as the body: uv's
/// <c>{"message","code","title"}</c> with <c>Content-Type: application/json</c> exactly when the client prefers JSON,
/// an HTML page on the pages people read (<see cref="AsPage"/>), plain text otherwise (pip, curl).
/// </summary>
internal sealed record ErrorResult(int StatusCode, string Message) : IResult, IStatusCodeHttpResult
{
    private const int MaxReasonPhraseLength = 400;

    /// <summary>Answer browsers with a page in the site's layout rather than plain text.</summary>
    public bool AsPage { get; init; }

    /// <summary>Headers to send with the error (WWW-Authenticate, Retry-After).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    public ErrorResult WithHeader(string name, string value) => this with { Headers = [.. Headers, new(name, value)] };

    public async Task ExecuteAsync(HttpContext context)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }

        response.StatusCode = StatusCode;
        response.Headers.Vary = HeaderNames.Accept;
        foreach (var (name, value) in Headers)
        {
            response.Headers[name] = value;
        }

        if (context.Features.Get<IHttpResponseFeature>() is { } feature)
        {
            feature.ReasonPhrase = ToReasonPhrase(Message);
        }

        if (PrefersJson(context.Request))
        {
            // Exactly application/json: uv compares the type without parameters.
            response.ContentType = "application/json";
            await JsonSerializer.SerializeAsync(
                response.Body,
                new Body(Message, $"{StatusCode} {Message}", ReasonPhrases.GetReasonPhrase(StatusCode)),
                ApiJsonContext.Default.Body,
                context.RequestAborted);
        }
        else if (AsPage)
        {
            response.ContentType = WebLayout.ContentType;
            await response.WriteAsync(Page(), context.RequestAborted);
        }
        else
        {
            response.ContentType = "text/plain; charset=utf-8";
            await response.WriteAsync(Message + "\n", context.RequestAborted);
        }
    }

    /// <summary>The status line allows ISO-8859-1 without CR or LF: anything else becomes a space or '?'.</summary>
    internal static string ToReasonPhrase(string message)
    {
        var builder = new StringBuilder(Math.Min(message.Length, MaxReasonPhraseLength));
        foreach (var c in message)
        {
            if (builder.Length == MaxReasonPhraseLength)
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

    private string Page()
    {
        var title = ReasonPhrases.GetReasonPhrase(StatusCode);
        return WebLayout.Page(
            $"{title} · PypiLocal",
            $"<h1>{HtmlEncoder.Default.Encode(title)}</h1>\n<p>{HtmlEncoder.Default.Encode(Message)}</p>\n<p><a href=\"/projects/\">All projects</a></p>\n");
    }

    /// <summary>uv's error body: <c>{"message": …, "code": "404 …", "title": "Not Found"}</c>.</summary>
    internal sealed record Body(string Message, string Code, string Title);
}
