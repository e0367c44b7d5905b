using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using PypiLocal.Api.Http;
using PypiLocal.Api.Pypiserver;
using PypiLocal.Api.Security;
using PypiLocal.Core.Auth;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Downloads;
using PypiLocal.Protocol.Names;

namespace PypiLocal.Api.Endpoints;

/// <summary>
/// The files answered early (<see cref="EarlyReads"/>): <c>/packages/{project}/{filename}</c> and its <c>.metadata</c>,
/// asked for with no range or precondition, when what is found is held here and goes out at once: bytes in memory, or
/// a local file of up to 256 KiB. The answer is <see cref="ReadShortcut"/>'s (<see cref="BytesResult"/>,
/// <see cref="LocalFileResult"/>), header for header, security headers and <c>--cache-control</c> included.
/// <para>
/// Anything else found (a redirect, a refusal, a file missing, an upstream fetch, a large file) goes the whole way,
/// carrying what was found (<see cref="EarlyDownloadLookup"/>) for the file endpoint to answer from: a download is never
/// asked for twice, so an upstream fetch is started once. The lookup is kept in the connection's reused request state
/// (<see cref="EarlyFileRead"/>) and made into a task only then, so a download answered here allocates no lookup.
/// </para>
/// </summary>
internal sealed class EarlyFiles(PackageDownloads downloads, IndexAuthenticator authenticator, SecurityHeaders security, IOptions<PypiserverOptions> server)
{
    /// <summary>The download's lookup when the request is for a file without range or precondition; null to hand it to the hosting layer.</summary>
    public EarlyFileRead? Look(IHttpRequestFeature request, CancellationToken aborted) =>
        FileOf(request.Path) is var (project, filename, part) && PlainDownload.Is(request.Headers) && !authenticator.IsRequired(IndexAction.Download)
            ? new EarlyFileRead(project, filename, part, downloads.GetAsync(project, filename, part, aborted))
            : null;

    /// <summary>
    /// The download a file URL asks for first, as the file endpoint does (<see cref="PackagePaths.GetAsync"/>: the
    /// filename in the project the segment before it names); null for any other path.
    /// </summary>
    private static (string Project, string Filename, DownloadPart Part)? FileOf(string path)
    {
        if (ReadShortcut.FilePathOf(path) is not { } file || PackagePaths.LastSegments(file) is not ({ } project, var last) || !ProjectName.IsValid(project))
        {
            return null;
        }

        var (filename, part) = PackageEndpoints.PartOf(last);
        return (project, filename, part);
    }

    /// <summary>What is answered early: bytes held in memory, or a local file sent at once; null for anything else found.</summary>
    public static DownloadTarget? Answerable(DownloadAnswer answer) =>
        answer is ServeDownload { Target: BytesDownload or LocalFileDownload { Length: <= PackageEndpoints.SentAtOnceBytes } } serve ? serve.Target : null;

    /// <summary>Writes the answer, as the file endpoint does; false, with nothing written, for a local file gone since it was listed.</summary>
    public async ValueTask<bool> AnswerAsync(IFeatureCollection features, DownloadTarget target)
    {
        var head = HttpMethods.IsHead(features.GetRequiredFeature<IHttpRequestFeature>().Method);
        var headers = features.GetRequiredFeature<IHttpResponseFeature>().Headers;
        var body = features.GetRequiredFeature<IHttpResponseBodyFeature>();
        var aborted = EarlyReads.Aborted(features);
        security.Apply(headers);
        PackagePaths.SetCacheControl(headers, server.Value);
        switch (target)
        {
            case BytesDownload bytes:
                await BytesResult.SendAsync(bytes, head, headers, body, aborted);
                return true;
            case LocalFileDownload file when await LocalFileResult.TrySendAsync(file, head, headers, body, aborted):
                return true;
            default:
                headers.Clear();
                return false;
        }
    }
}

/// <summary>A download being looked up to answer early (<see cref="EarlyFiles.Look"/>); its lookup is awaited once.</summary>
internal readonly record struct EarlyFileRead(string Project, string Filename, DownloadPart Part, ValueTask<DownloadAnswer> Lookup)
{
    /// <summary>What is passed on with the request when it goes the whole way: the lookup, or what it found, as a task.</summary>
    public EarlyDownloadLookup PassedOn(Task<DownloadAnswer> lookup) => new(Project, Filename, Part, lookup);
}

/// <summary>
/// The download an early answer looked up, passed on with the request when it is not answered early. The file endpoint
/// takes it for the same project, filename and part instead of asking again.
/// </summary>
internal sealed record EarlyDownloadLookup(string Project, string Filename, DownloadPart Part, Task<DownloadAnswer> Lookup)
{
    /// <summary>The lookup passed on for this download, taken off the request; null if there is none.</summary>
    public static Task<DownloadAnswer>? Take(HttpContext context, string project, string filename, DownloadPart part)
    {
        if (context.Features.Get<EarlyDownloadLookup>() is not { } early || early.Project != project || early.Filename != filename || early.Part != part)
        {
            return null;
        }

        context.Features.Set<EarlyDownloadLookup>(null);
        return early.Lookup;
    }
}
