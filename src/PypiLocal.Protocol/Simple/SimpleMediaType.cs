namespace PypiLocal.Protocol.Simple;

/// <summary>The three representations a Simple API page is served in (PEP 691).</summary>
public enum SimpleMediaType
{
    /// <summary><c>text/html</c>: the PEP 503 alias of v1 HTML.</summary>
    TextHtml,

    /// <summary><c>application/vnd.pypi.simple.v1+html</c>.</summary>
    HtmlV1,

    /// <summary><c>application/vnd.pypi.simple.v1+json</c>.</summary>
    JsonV1,
}
