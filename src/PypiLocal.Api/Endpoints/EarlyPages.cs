using Microsoft.AspNetCore.Http.Features;
using PypiLocal.Api.Http;
using PypiLocal.Api.Security;
using PypiLocal.Core.Auth;
using PypiLocal.Core.Caching;
using PypiLocal.Core.Pages;

namespace PypiLocal.Api.Endpoints;

/// <summary>
/// The project pages answered early (<see cref="EarlyReads"/>): <c>/simple/{project}/</c>, normalized, whose page is
/// found (in the page cache, or rendered into it). The answer is <see cref="ReadShortcut"/>'s, header for header,
/// security headers included.
/// <para>
/// A page not found, one whose links need the request's origin, or a lookup that fails goes the whole way instead,
/// carrying the lookup (<see cref="EarlyPageLookup"/>) for <see cref="ReadShortcut"/> to answer from, so nothing is
/// looked up twice: a failure (an upstream down, say) is waited for and counted once, and answered by the exception
/// answers as always.
/// </para>
/// </summary>
internal sealed class EarlyPages(IndexPageService pages, IndexAuthenticator authenticator, SecurityHeaders security)
{
    /// <summary>The page's lookup when the request is for one; null to hand it to the hosting layer.</summary>
    public Task<CachedPage?>? Look(IHttpRequestFeature request, CancellationToken aborted) =>
        ReadShortcut.ProjectOf(request.Path) is { } project
        && SimpleEndpoints.Negotiate(request.Headers) is { } mediaType
        && !authenticator.IsRequired(IndexAction.List)
            ? pages.GetProjectAsync(project, mediaType, aborted)
            : null;

    /// <summary>Whether the page found is answered early: not one whose links need this request's origin.</summary>
    public static bool CanAnswer(CachedPage page) => !page.LinksNeedOrigin;

    /// <summary>Writes the page's answer, as <see cref="PageResult"/> does with the security headers before it.</summary>
    public Task AnswerAsync(IFeatureCollection features, CachedPage page)
    {
        var request = features.GetRequiredFeature<IHttpRequestFeature>();
        var response = features.GetRequiredFeature<IHttpResponseFeature>();
        security.Apply(response.Headers);
        var send = PageResult.Prepare(page, page.Body, null, request.Method, request.Headers, response.Headers, out var status);
        response.StatusCode = status;
        if (send.IsEmpty)
        {
            return Task.CompletedTask;
        }

        return ResponseBody.WriteAsync(features.GetRequiredFeature<IHttpResponseBodyFeature>(), send, EarlyReads.Aborted(features));
    }
}

/// <summary>The page lookup an early answer made and passed on with the request, for <see cref="ReadShortcut"/> to use.</summary>
internal sealed class EarlyPageLookup(Task<CachedPage?> lookup)
{
    public Task<CachedPage?> Lookup { get; } = lookup;
}
