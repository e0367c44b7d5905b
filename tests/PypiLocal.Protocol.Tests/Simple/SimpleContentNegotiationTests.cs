using PypiLocal.Protocol.Simple;

namespace PypiLocal.Protocol.Tests.Simple;

public sealed class SimpleContentNegotiationTests
{
    // Exactly what the clients send (docs/protocol.md#content-negotiation).
    private const string PipAccept = "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01";
    private const string UvAccept = "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01";
    private const string PoetryNewAccept = "application/vnd.pypi.simple.v1+json, */*;q=0.1";

    public sealed class Select
    {
        [Theory]
        [InlineData("text/html", SimpleMediaType.TextHtml)] // pip ≤22.1, uv --find-links
        [InlineData(PipAccept, SimpleMediaType.JsonV1)] // pip 22.2–26.2, pdm
        [InlineData(UvAccept, SimpleMediaType.JsonV1)]
        [InlineData("*/*", SimpleMediaType.TextHtml)] // poetry ≤2.2 parses every body as HTML
        [InlineData(PoetryNewAccept, SimpleMediaType.JsonV1)] // poetry ≥2.3
        public void Answers_each_client_with_what_it_parses(string accept, SimpleMediaType expected) =>
            Assert.Equal(expected, SimpleContentNegotiation.Select(accept));

        // docs/protocol.md#content-negotiation.
        [Theory]
        [InlineData(null, SimpleMediaType.TextHtml)]
        [InlineData("", SimpleMediaType.TextHtml)]
        [InlineData("   ", SimpleMediaType.TextHtml)]
        [InlineData("*/*", SimpleMediaType.TextHtml)]
        [InlineData("application/vnd.pypi.simple.v1+html", SimpleMediaType.HtmlV1)]
        [InlineData("application/vnd.pypi.simple.v1+json", SimpleMediaType.JsonV1)]
        [InlineData("application/vnd.pypi.simple.latest+json", SimpleMediaType.JsonV1)]
        [InlineData("application/vnd.pypi.simple.latest+html", SimpleMediaType.HtmlV1)]
        [InlineData("application/vnd.pypi.simple.v1+json;q=0, text/html", SimpleMediaType.TextHtml)]
        [InlineData("application/vnd.pypi.simple.v1+json;q=0.1, text/html", SimpleMediaType.TextHtml)]
        public void Follows_the_checklist(string? accept, SimpleMediaType expected) =>
            Assert.Equal(expected, SimpleContentNegotiation.Select(accept));

        [Theory]
        [InlineData("text/plain")]
        [InlineData("application/json")]
        [InlineData("image/*")]
        [InlineData("application/vnd.pypi.simple.v2+json")]
        [InlineData("*/*;q=0")]
        [InlineData("text/html;q=0, application/vnd.pypi.simple.v1+html;q=0.000, application/vnd.pypi.simple.v1+json;q=0")]
        [InlineData("application/vnd.pypi.simple.v1+json;q=0, */*;q=0")]
        public void Is_null_when_nothing_acceptable_was_asked_for(string accept) =>
            Assert.Null(SimpleContentNegotiation.Select(accept));

        [Theory]
        // Ties go to text/html, then v1+html, then v1+json, whatever the header order.
        [InlineData("application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html", SimpleMediaType.HtmlV1)]
        [InlineData("application/vnd.pypi.simple.v1+json, text/html, application/vnd.pypi.simple.v1+html", SimpleMediaType.TextHtml)]
        [InlineData("application/*", SimpleMediaType.HtmlV1)]
        [InlineData("text/*", SimpleMediaType.TextHtml)]
        // The most specific range decides an offer's q, not the first or the highest.
        [InlineData("*/*, application/vnd.pypi.simple.v1+json;q=0", SimpleMediaType.TextHtml)]
        [InlineData("*/*;q=0.5, text/html;q=0.4, application/vnd.pypi.simple.v1+html;q=0.3", SimpleMediaType.JsonV1)]
        [InlineData("application/*;q=0, application/vnd.pypi.simple.v1+json", SimpleMediaType.JsonV1)]
        [InlineData("text/html;q=0.5, application/*;q=0.6", SimpleMediaType.HtmlV1)]
        // q values: up to three decimals, compared exactly.
        [InlineData("text/html;q=0.001, application/vnd.pypi.simple.v1+json;q=0.002", SimpleMediaType.JsonV1)]
        [InlineData("text/html;q=0.999, application/vnd.pypi.simple.v1+json;q=1.000", SimpleMediaType.JsonV1)]
        [InlineData("text/html;q=1.0, application/vnd.pypi.simple.v1+json;q=1", SimpleMediaType.TextHtml)]
        [InlineData("text/html;q=0.5, application/vnd.pypi.simple.v1+json;q=0.50", SimpleMediaType.TextHtml)]
        // Malformed members are skipped, not fatal.
        [InlineData("text/html;q=2, application/vnd.pypi.simple.v1+json", SimpleMediaType.JsonV1)]
        [InlineData("text/html;q=0.0001, application/vnd.pypi.simple.v1+json;q=0.5", SimpleMediaType.JsonV1)]
        [InlineData("text/html;q=abc, application/vnd.pypi.simple.v1+json", SimpleMediaType.JsonV1)]
        [InlineData("garbage, application/vnd.pypi.simple.v1+json", SimpleMediaType.JsonV1)]
        [InlineData("garbage", SimpleMediaType.TextHtml)]
        // Case-insensitive types and q, other parameters ignored, whitespace tolerated.
        [InlineData("APPLICATION/VND.PYPI.SIMPLE.V1+JSON", SimpleMediaType.JsonV1)]
        [InlineData("text/html; Q=0.1, application/vnd.pypi.simple.v1+json; charset=utf-8", SimpleMediaType.JsonV1)]
        [InlineData("  application/vnd.pypi.simple.v1+json  ;  q=0.9 ,text/html;q=0.8", SimpleMediaType.JsonV1)]
        [InlineData("application/vnd.pypi.simple.latest+json, application/vnd.pypi.simple.v1+html;q=0.5", SimpleMediaType.JsonV1)]
        // Unknown types (uv's pyx types) do not disturb the rest.
        [InlineData("application/vnd.pyx.simple.v1+json, application/vnd.pypi.simple.v1+json;q=0.9", SimpleMediaType.JsonV1)]
        public void Picks_by_q_then_specificity_then_preference(string accept, SimpleMediaType expected) =>
            Assert.Equal(expected, SimpleContentNegotiation.Select(accept));

        [Theory]
        [InlineData("text/html", SimpleMediaType.TextHtml)]
        [InlineData("application/vnd.pypi.simple.v1+html", SimpleMediaType.HtmlV1)]
        [InlineData("application/vnd.pypi.simple.v1+json", SimpleMediaType.JsonV1)]
        [InlineData("application/vnd.pypi.simple.latest+html", SimpleMediaType.HtmlV1)]
        [InlineData("application/vnd.pypi.simple.latest+json", SimpleMediaType.JsonV1)]
        [InlineData("Application/Vnd.Pypi.Simple.V1+Json", SimpleMediaType.JsonV1)]
        public void Format_query_overrides_the_accept_header(string format, SimpleMediaType expected) =>
            Assert.Equal(expected, SimpleContentNegotiation.Select("text/plain", format));

        [Theory]
        [InlineData("json")]
        [InlineData("*/*")]
        [InlineData("text/*")]
        [InlineData("text/plain")]
        [InlineData("application/vnd.pypi.simple.v1+json;q=1")]
        [InlineData("application/vnd.pypi.simple.v1+json, text/html")]
        public void Format_query_takes_exactly_one_known_type(string format) =>
            Assert.Null(SimpleContentNegotiation.Select("*/*", format));

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        public void Empty_format_query_falls_back_to_accept(string? format) =>
            Assert.Equal(SimpleMediaType.JsonV1, SimpleContentNegotiation.Select(PipAccept, format));
    }

    public sealed class ContentType
    {
        [Theory]
        [InlineData(SimpleMediaType.TextHtml, "text/html; charset=utf-8")]
        [InlineData(SimpleMediaType.HtmlV1, "application/vnd.pypi.simple.v1+html; charset=utf-8")]
        [InlineData(SimpleMediaType.JsonV1, "application/vnd.pypi.simple.v1+json")]
        public void Is_the_lowercase_bare_type_with_charset_on_html(SimpleMediaType type, string expected)
        {
            Assert.Equal(expected, SimpleContentNegotiation.ContentType(type));
            Assert.Equal(type == SimpleMediaType.JsonV1, SimpleContentNegotiation.IsJson(type));
        }
    }
}
