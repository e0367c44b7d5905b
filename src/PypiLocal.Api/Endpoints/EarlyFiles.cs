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
/// asked for twice, so an upstream fetch is started once.
/// </para>
/// </summary>
internal sealed class EarlyFiles(PackageDownloads downloads, IndexAuthenticator authenticator, SecurityHeaders security, IOptions<PypiserverOptions> server)
{
    private const string Prefix = "/packages/";

    /// <summary>The download's lookup when the request is for a file without range or precondition; null to hand it to the hosting layer.</summary>
    public Task<DownloadAnswer>? Look(IHttpRequestFeature request, CancellationToken aborted)
    {
        if (FileOf(request.Path) is not var (project, filename, part) || !PlainDownload.Is(request.Headers) || authenticator.IsRequired(IndexAction.Download))
        {
            return null;
        }

        return downloads.GetAsync(project, filename, part, aborted);
    }

    /// <summary>
    /// The download <c>/packages/{project}/{filename}</c> asks for first, as the file endpoint does
    /// (<see cref="PackagePaths.GetAsync"/>); null for any other path.
    /// </summary>
    internal static (string Project, string Filename, DownloadPart Part)? FileOf(string path)
    {
        if (!path.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = path.AsSpan(Prefix.Length);
        var slash = rest.IndexOf('/');
        if (slash <= 0 || slash == rest.Length - 1 || rest[(slash + 1)..].Contains('/'))
        {
            return null;
        }

        var project = rest[..slash].ToString();
        if (!ProjectName.IsValid(project))
        {
            return null;
        }

        var (filename, part) = PackageEndpoints.PartOf(rest[(slash + 1)..].ToString());
        return (project, filename, part);
    }

    /// <summary>Whether what was found is answered early: bytes held in memory, or a local file sent at once.</summary>
    public static bool CanAnswer(DownloadAnswer answer) =>
        answer is ServeDownload { Target: BytesDownload or LocalFileDownload { Length: <= PackageEndpoints.SentAtOnceBytes } };

    /// <summary>Writes the answer, as the file endpoint does; false, with nothing written, for a local file gone since it was listed.</summary>
    public async ValueTask<bool> AnswerAsync(IFeatureCollection features, DownloadAnswer answer)
    {
        var request = features.GetRequiredFeature<IHttpRequestFeature>();
        var headers = features.GetRequiredFeature<IHttpResponseFeature>().Headers;
        var body = features.GetRequiredFeature<IHttpResponseBodyFeature>();
        var aborted = features.Get<IHttpRequestLifetimeFeature>()?.RequestAborted ?? default;
        var head = HttpMethods.IsHead(request.Method);
        security.Apply(headers);
        PackagePaths.SetCacheControl(headers, server.Value);
        switch (((ServeDownload)answer).Target)
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

/// <summary>
/// The download an early answer looked up and passed on with the request. The file endpoint takes it for the same
/// project, filename and part instead of asking again.
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
