using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using PypiLocal.Api.Web;
using PypiLocal.Core.Auth;
using PypiLocal.Core.Caching;
using PypiLocal.Core.Pages;

namespace PypiLocal.Api.Http;

/// <summary>
/// A rendered index page with its strong ETag, <c>Vary: Accept</c> and <c>max-age=0, must-revalidate</c>, or 304
/// when the client already has it (docs/protocol.md#index-page-caching): pip 26.2+ honours Cache-Control, so nothing longer.
/// The bytes go straight into the connection's pipe (nothing for HEAD): the general file result would create a logger
/// and parse range and precondition headers on every hit, which index pages do not support anyway.
/// A page with provenance links gets this request's origin in them; any other is written as cached, without a copy.
/// A list filtered for a reader of only some projects (<paramref name="readers"/>) is <c>private</c> and varies on
/// <c>Authorization</c> too, so no shared cache hands one account's list to another.
/// </summary>
internal sealed class PageResult(CachedPage page, ReadScope? readers = null) : IResult
{
    private const string Revalidate = "max-age=0, must-revalidate";
    private const string PrivateRevalidate = "private, " + Revalidate;
    private const string VaryPerReader = "Accept, Authorization";

    public Task ExecuteAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var send = Prepare(page, Body(request), readers, request.Method, request.Headers, response.Headers, out var status);
        response.StatusCode = status;
        if (send.IsEmpty)
        {
            return Task.CompletedTask;
        }

        return ResponseBody.WriteAsync(context.Features.GetRequiredFeature<IHttpResponseBodyFeature>(), send, context.RequestAborted);
    }

    /// <summary>
    /// Sets the headers of <paramref name="page"/>'s answer, whoever writes it (this result, or the server's early answer
    /// of a cached page: <see cref="Hosting.EarlyReadServer"/>), and gives its status and the bytes to send: none for a
    /// 304 or a HEAD.
    /// </summary>
    public static ReadOnlyMemory<byte> Prepare(
        CachedPage page, byte[] body, ReadScope? readers, string method, IHeaderDictionary requestHeaders, IHeaderDictionary headers, out int status)
    {
        if (readers is null or { IsEverything: true })
        {
            headers.Vary = HeaderNames.Accept;
            headers.CacheControl = Revalidate;
        }
        else
        {
            headers.Vary = VaryPerReader;
            headers.CacheControl = PrivateRevalidate;
        }

        headers.ETag = page.ETag;
        if (IfNoneMatch(requestHeaders, page.ETag))
        {
            status = StatusCodes.Status304NotModified;
            return ReadOnlyMemory<byte>.Empty;
        }

        status = StatusCodes.Status200OK;
        headers.ContentType = page.ContentType;
        headers.ContentLength = body.Length;
        return HttpMethods.IsHead(method) ? ReadOnlyMemory<byte>.Empty : body;
    }

    private byte[] Body(HttpRequest request) =>
        page.LinksNeedOrigin ? ProvenanceLinks.WithOrigin(page.Body, WebLayout.BaseUrl(request)) : page.Body;

    private static bool IfNoneMatch(IHeaderDictionary requestHeaders, string etag) =>
        requestHeaders.IfNoneMatch.Count > 0
        && EntityTagHeaderValue.TryParseList(requestHeaders.IfNoneMatch, out var tags)
        && tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Tag.Equals(etag, StringComparison.Ordinal));
}
