using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using PypiLocal.Api.Hosting;
using PypiLocal.Api.Http;
using PypiLocal.Api.Security;
using PypiLocal.Core.Auth;
using PypiLocal.Core.Caching;
using PypiLocal.Core.Pages;

namespace PypiLocal.Api.Endpoints;

/// <summary>
/// The project pages the server answers as soon as a request is parsed (<see cref="Hosting.EarlyPageServer"/>): an
/// anonymous HTTP/1.1 <c>GET</c> or <c>HEAD</c> of <c>/simple/{project}/</c>, normalized, with no query or body, whose
/// page is found (in the page cache, or rendered into it). The answer is <see cref="ReadShortcut"/>'s, header for
/// header, security headers included.
/// <para>
/// Whatever might answer differently goes the whole way instead: a request <see cref="Look"/> passes over, a page not
/// found or whose links need the request's origin, a lookup that fails. After a lookup, the request carries it
/// (<see cref="EarlyPageLookup"/>) for <see cref="ReadShortcut"/> to answer from, so nothing is looked up twice: a
/// failure (an upstream down, say) is waited for and counted once, and answered by the exception answers as always.
/// Every request goes the whole way while reading needs an account, while ASP.NET's request activity is traced or its
/// request log is on, since those see only requests that reach the hosting layer.
/// </para>
/// </summary>
internal sealed class EarlyPages(IndexPageService pages, IndexAuthenticator authenticator, SecurityHeaders security, DiagnosticListener hostingDiagnostics, ILoggerFactory loggers)
{
    // Any listener here would see the hosting layer's activity of each request (OpenTelemetry tracing does).
    private static readonly ActivitySource HostingActivities = new("Microsoft.AspNetCore");

    private readonly ILogger _hostingLog = loggers.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics");

    /// <summary>The page's lookup when the request is one to answer early; null to hand it to the hosting layer.</summary>
    public Task<CachedPage?>? Look(IFeatureCollection features)
    {
        var request = features.Get<IHttpRequestFeature>();
        if (request is null
            || !AnonymousReadLimit.IsAnonymousRead(request.Method, request.Headers)
            || !HttpProtocol.IsHttp11(request.Protocol)
            || request.QueryString.Length > 0
            || features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: true }
            || ReadShortcut.ProjectOf(request.Path) is not { } project
            || SimpleEndpoints.Negotiate(request.Headers) is not { } mediaType
            || authenticator.IsRequired(IndexAction.List)
            || hostingDiagnostics.IsEnabled() || HostingActivities.HasListeners() || _hostingLog.IsEnabled(LogLevel.Information))
        {
            return null;
        }

        return pages.GetProjectAsync(project, mediaType, features.Get<IHttpRequestLifetimeFeature>()?.RequestAborted ?? default);
    }

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

        var aborted = features.Get<IHttpRequestLifetimeFeature>()?.RequestAborted ?? default;
        var write = features.GetRequiredFeature<IHttpResponseBodyFeature>().Writer.WriteAsync(send, aborted);
        return write.IsCompletedSuccessfully ? Task.CompletedTask : write.AsTask();
    }
}

/// <summary>The page lookup an early answer made and passed on with the request, for <see cref="ReadShortcut"/> to use.</summary>
internal sealed class EarlyPageLookup(Task<CachedPage?> lookup)
{
    public Task<CachedPage?> Lookup { get; } = lookup;
}
