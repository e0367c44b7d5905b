using Microsoft.AspNetCore.Http;
using PypiLocal.Api.Http;

namespace PypiLocal.Api.Tests.Http;

public sealed class ErrorResultTests
{
    [Theory]
    [InlineData("File already exists.", "File already exists.")]
    [InlineData("line one\r\nline two", "line one  line two")]
    [InlineData("bell\u0007 and del\u007f", "bell? and del?")]
    [InlineData("naïve café", "naïve café")] // ISO-8859-1 is fine
    [InlineData("snow ☃ man", "snow ? man")] // beyond ISO-8859-1 is not
    [InlineData("", "Error")]
    public void Reason_phrases_are_one_ISO_8859_1_line(string message, string expected) =>
        Assert.Equal(expected, ErrorResult.ToReasonPhrase(message));

    [Fact]
    public void Long_reason_phrases_are_cut() =>
        Assert.Equal(400, ErrorResult.ToReasonPhrase(new string('x', 5000)).Length);

    [Theory]
    [InlineData("application/json;q=0.9, text/plain;q=0.8, text/html;q=0.7", true)] // uv
    [InlineData("application/json", true)]
    [InlineData("*/*", false)] // twine, poetry, pdm (requests)
    [InlineData("", false)]
    [InlineData("text/plain, application/json;q=0.5", false)]
    [InlineData("application/json;q=0", false)]
    public void Json_errors_go_to_clients_that_prefer_json(string accept, bool json)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Accept = accept;

        Assert.Equal(json, ErrorResult.PrefersJson(context.Request));
    }
}
