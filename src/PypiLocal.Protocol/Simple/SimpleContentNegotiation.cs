namespace PypiLocal.Protocol.Simple;

/// <summary>
/// PEP 691 content negotiation as PyPI does it (standards.md §4): q values, most specific match,
/// ties to text/html then v1+html then v1+json, <c>latest</c> aliases, and a <c>?format=</c> override.
/// </summary>
public static class SimpleContentNegotiation
{
    public const string TextHtml = "text/html";
    public const string HtmlV1 = "application/vnd.pypi.simple.v1+html";
    public const string JsonV1 = "application/vnd.pypi.simple.v1+json";
    public const string HtmlLatest = "application/vnd.pypi.simple.latest+html";
    public const string JsonLatest = "application/vnd.pypi.simple.latest+json";

    /// <summary>
    /// Picks the representation for a request, or null when nothing acceptable was asked for (answer 406).
    /// A non-empty <paramref name="formatQuery"/> overrides the Accept header.
    /// </summary>
    public static SimpleMediaType? Select(string? acceptHeader, string? formatQuery = null) => throw new NotImplementedException();

    /// <summary>The Content-Type value to send: lowercase bare type, with <c>; charset=utf-8</c> on HTML.</summary>
    public static string ContentType(SimpleMediaType type) => throw new NotImplementedException();

    public static bool IsJson(SimpleMediaType type) => type == SimpleMediaType.JsonV1;
}
