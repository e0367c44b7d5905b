using Microsoft.Extensions.Options;
using PypiLocal.Api.Http;
using PypiLocal.Api.Pypiserver;
using PypiLocal.Core.Auth;
using PypiLocal.Core.Caching;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Downloads;
using PypiLocal.Core.Pages;
using PypiLocal.Protocol.Names;

namespace PypiLocal.Api.Endpoints;

/// <summary>
/// The two reads an installer makes most, a project page and a wheel's <c>.metadata</c>, answered without routing,
/// parameter binding and the endpoint's access wrapper when they are anonymous and plain: about an eighth of a cached
/// page's CPU (bench/README.md, "A short way for the reads installers make most").
/// <para>
/// The answer is the endpoint's own: the same lookup, the same result and headers, and the endpoint set on the request
/// so metrics name its route. A request the endpoint would answer any other way goes on through the pipeline
/// untouched: with credentials or a query, a name to normalize or a trailing slash to add, when reading needs an
/// account, for a page or file not found, and for a range or a precondition on <c>.metadata</c>. It runs where routing
/// would begin, after the security headers, the exception answers and the read limit, so a lookup that fails is answered
/// by the exception answers as the endpoint's would be, once.
/// </para>
/// </summary>
internal sealed class ReadShortcut(
    IndexPageService pages, PackageDownloads downloads, IndexAuthenticator authenticator, IOptions<PypiserverOptions> server, EndpointDataSource endpoints)
{
    private const string PagePrefix = "/simple/";
    private const string FilePrefix = "/packages/";

    // Found on first use: the endpoints are mapped after the pipeline is built.
    private Endpoint? _pageEndpoint;
    private Endpoint? _fileEndpoint;

    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            || request.QueryString.HasValue || request.Headers.Authorization.Count > 0 || request.Path.Value is not { } path)
        {
            return next(context);
        }

        if (path.StartsWith(PagePrefix, StringComparison.Ordinal))
        {
            return ProjectOf(path) is { } project && !authenticator.IsRequired(IndexAction.List) && SimpleEndpoints.Negotiate(context) is { } mediaType
                ? AnswerPageAsync(pages.GetProjectAsync(project, mediaType, context.RequestAborted), context, next)
                : next(context);
        }

        if (path.StartsWith(FilePrefix, StringComparison.Ordinal))
        {
            return MetadataOf(path) is var (project, filename) && !authenticator.IsRequired(IndexAction.Download) && BytesResult.IsPlain(request)
                ? AnswerMetadataAsync(downloads.GetAsync(project, filename, DownloadPart.CoreMetadata, context.RequestAborted), context, next)
                : next(context);
        }

        return next(context);
    }

    /// <summary>The project of <c>/simple/{project}/</c> when it is already normalized.</summary>
    private static string? ProjectOf(string path) =>
        path.Length > PagePrefix.Length + 1 && path[^1] == '/' && path.AsSpan(PagePrefix.Length, path.Length - PagePrefix.Length - 1).IndexOf('/') < 0
        && path[PagePrefix.Length..^1] is var project && ProjectName.IsNormalized(project)
            ? project
            : null;

    /// <summary>The project and distribution of <c>/packages/{project}/{distribution}.metadata</c>, the URL pages link.</summary>
    private static (string Project, string Filename)? MetadataOf(string path)
    {
        if (!path.EndsWith(PackageEndpoints.MetadataSuffix, StringComparison.Ordinal))
        {
            return null; // a file: nothing to allocate for it here
        }

        var rest = path.AsSpan(FilePrefix.Length);
        var slash = rest.IndexOf('/');
        if (slash <= 0 || rest[(slash + 1)..].IndexOf('/') >= 0)
        {
            return null;
        }

        var project = rest[..slash].ToString();
        return ProjectName.IsNormalized(project) && PackageEndpoints.DistributionOfMetadata(rest[(slash + 1)..].ToString()) is { } filename
            ? (project, filename)
            : null;
    }

    // A lookup that fails throws to the exception answers, which run before this; one still running (a shared cache, a
    // render) is awaited. Both complete synchronously on a hit, without allocating.
    private async Task AnswerPageAsync(Task<CachedPage?> lookup, HttpContext context, RequestDelegate next)
    {
        if (await lookup is not { } page)
        {
            await next(context);
            return;
        }

        context.SetEndpoint(_pageEndpoint ??= EndpointFor(SimpleEndpoints.ProjectRoute));
        await new PageResult(page).ExecuteAsync(context);
    }

    private async Task AnswerMetadataAsync(Task<DownloadAnswer> lookup, HttpContext context, RequestDelegate next)
    {
        if (await lookup is not ServeDownload { Target: BytesDownload bytes })
        {
            await next(context);
            return;
        }

        context.SetEndpoint(_fileEndpoint ??= EndpointFor(PackageEndpoints.Route));
        PackagePaths.SetCacheControl(context.Response, server.Value);
        await new BytesResult(bytes).ExecuteAsync(context);
    }

    private RouteEndpoint? EndpointFor(string pattern) =>
        endpoints.Endpoints.OfType<RouteEndpoint>().FirstOrDefault(e => e.RoutePattern.RawText == pattern);
}
