using Microsoft.Extensions.Options;
using PypiLocal.Api.Hosting;
using PypiLocal.Api.Http;
using PypiLocal.Api.Pypiserver;
using PypiLocal.Core.Auth;
using PypiLocal.Core.Caching;
using PypiLocal.Core.Downloads;
using PypiLocal.Core.Pages;
using PypiLocal.Protocol.Names;
using PypiLocal.Protocol.Simple;

namespace PypiLocal.Api.Endpoints;

/// <summary>
/// The reads an installer makes, a project page and a file or its <c>.metadata</c>, answered without routing, parameter
/// binding and the endpoint's access wrapper when they are anonymous: about an eighth of a cached page's CPU
/// (bench/README.md, "A short way for the reads installers make most").
/// <para>
/// The answer is the endpoint's own, and the endpoint is set on the request so metrics name its route. A file is
/// answered by the file endpoint's handler itself (<see cref="PackagePaths.GetAsync"/>), whatever it finds. A page is
/// answered from the same lookup and result as its endpoint's when found; any other page request goes on through the
/// pipeline untouched: with a name to normalize or a trailing slash to add, or for a page not found. So does a request
/// with credentials or a query, or when reading needs an account. It runs where routing would begin, after the
/// security headers, the exception answers and the read limit, so a lookup that fails is answered by the exception
/// answers as the endpoint's would be, once.
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
        if (!AnonymousReadLimit.IsAnonymousRead(request) || request.QueryString.HasValue || request.Path.Value is not { } path)
        {
            return next(context);
        }

        if (path.StartsWith(PagePrefix, StringComparison.Ordinal))
        {
            return ProjectOf(path) is { } project && !authenticator.IsRequired(IndexAction.List) && SimpleEndpoints.Negotiate(context) is { } mediaType
                ? AnswerPageAsync(LookUp(context, project, mediaType), context, next)
                : next(context);
        }

        // Every file URL, ours and pypiserver's (not the flat list at /packages/ itself): the endpoint's own handler.
        if (FilePathOf(path) is { } file)
        {
            return authenticator.IsRequired(IndexAction.Download) ? next(context) : AnswerFileAsync(file, context);
        }

        return next(context);
    }

    /// <summary>What follows <c>/packages/</c> in a file's URL; null for any other path and for the flat list itself.</summary>
    internal static string? FilePathOf(string path) =>
        path.Length > FilePrefix.Length && path.StartsWith(FilePrefix, StringComparison.Ordinal) ? path[FilePrefix.Length..] : null;

    // The lookup the server made before the pipeline (EarlyPages) when it did, else one now.
    private Task<CachedPage?> LookUp(HttpContext context, string project, SimpleMediaType mediaType) =>
        context.Features.Get<EarlyPageLookup>()?.Lookup ?? pages.GetProjectAsync(project, mediaType, context.RequestAborted);

    /// <summary>The project of <c>/simple/{project}/</c> when it is already normalized.</summary>
    internal static string? ProjectOf(string path) =>
        path.Length > PagePrefix.Length + 1 && path.StartsWith(PagePrefix, StringComparison.Ordinal) && path[^1] == '/' && path.AsSpan(PagePrefix.Length, path.Length - PagePrefix.Length - 1).IndexOf('/') < 0
        && path[PagePrefix.Length..^1] is var project && ProjectName.IsNormalized(project)
            ? project
            : null;

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

    private async Task AnswerFileAsync(string path, HttpContext context)
    {
        context.SetEndpoint(_fileEndpoint ??= EndpointFor(PackageEndpoints.Route));
        var result = await PackagePaths.GetAsync(path, context, downloads, server, context.RequestAborted);
        await result.ExecuteAsync(context);
    }

    private RouteEndpoint? EndpointFor(string pattern) =>
        endpoints.Endpoints.OfType<RouteEndpoint>().FirstOrDefault(e => e.RoutePattern.RawText == pattern);
}
