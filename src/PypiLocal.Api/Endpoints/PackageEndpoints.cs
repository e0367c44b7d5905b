using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using PypiLocal.Api.Hosting;
using PypiLocal.Api.Http;
using PypiLocal.Api.Upstream;
using PypiLocal.Core.Auth;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Downloads;
using PypiLocal.Protocol.Filenames;

namespace PypiLocal.Api.Endpoints;

/// <summary>
/// The stable file URLs written into index pages: <c>/packages/{project}/{filename}</c> and its
/// <c>.metadata</c> (PEP 658). Streamed with Range, ETag and Last-Modified, or redirected to the object store;
/// an upstream file not yet kept is streamed while it is fetched.
/// </summary>
internal static class PackageEndpoints
{
    /// <summary>What a file's URL ends with for its core metadata (PEP 658).</summary>
    internal const string MetadataSuffix = ".metadata";

    /// <summary>What a file URL's last segment asks for: a distribution's core metadata (<c>{distribution}.metadata</c>), else the file it names.</summary>
    internal static (string Filename, DownloadPart Part) PartOf(string filename) =>
        filename.EndsWith(MetadataSuffix, StringComparison.Ordinal) && filename[..^MetadataSuffix.Length] is var distribution && FileTypes.IsDistribution(distribution)
            ? (distribution, DownloadPart.CoreMetadata)
            : (filename, DownloadPart.File);

    /// <summary>Every file's route, as metrics name it.</summary>
    public const string Route = "/packages/{**path}";

    public static IEndpointRouteBuilder MapPackageEndpoints(this IEndpointRouteBuilder app)
    {
        // Ours (/packages/{project}/{filename}) and pypiserver's (/packages/{filename}, /packages/{relative path}).
        app.MapMethods(Route, [HttpMethods.Get, HttpMethods.Head], Pypiserver.PackagePaths.GetAsync).RequireIndexAccess(IndexAction.Download);
        return app;
    }

    internal static async ValueTask<Results<RedirectHttpResult, LocalFileResult, FileStreamHttpResult, BytesResult, FetchStreamResult, ErrorResult>> GetAsync(
        string project, string filename, HttpContext context, PackageDownloads downloads, CancellationToken cancellationToken)
    {
        (filename, var part) = PartOf(filename);

        // The server may have asked already, before the hosting layer, and found nothing to answer there (EarlyFiles).
        var answer = EarlyDownloadLookup.Take(context, project, filename, part) is { } early
            ? await early
            : await downloads.GetAsync(project, filename, part, cancellationToken);
        if (answer is FetchDownload fetch && !FetchStreamResult.CanStream(context.Request))
        {
            // Ranges, HEAD and conditional requests are answered from the kept copy once the fetch is over.
            var outcome = await fetch.Fetch.Completion.WaitAsync(cancellationToken);
            answer = outcome.Kept ? await downloads.GetAsync(project, filename, part, cancellationToken) : FetchStreamResult.Failure(outcome);
        }

        return await ResultOfAsync(context, answer, answer is FetchDownload ? AskAgain(downloads, project, filename, part) : AskedOnce, cancellationToken);
    }

    // Made only for a fetch, in a method of its own: a lambda in GetAsync would allocate its closure on every request.
    private static Func<Task<DownloadAnswer>> AskAgain(PackageDownloads downloads, string project, string filename, DownloadPart part) =>
        () => downloads.GetAsync(project, filename, part, CancellationToken.None).AsTask();

    private static readonly Func<Task<DownloadAnswer>> AskedOnce = () => throw new InvalidOperationException("Only a fetch is asked for again.");

    /// <summary>The HTTP answer for a download; <paramref name="again"/> asks once more after a fetch was kept.</summary>
    /// <remarks>Synchronous, with no state machine, for what is sent at once: nearly every download.</remarks>
    internal static ValueTask<Results<RedirectHttpResult, LocalFileResult, FileStreamHttpResult, BytesResult, FetchStreamResult, ErrorResult>> ResultOfAsync(
        HttpContext context, DownloadAnswer answer, Func<Task<DownloadAnswer>> again, CancellationToken cancellationToken) =>
        SentAtOnce(answer) ? ResultOfCoreAsync(answer, again, cancellationToken) : LeaveThenResultOfAsync(context, answer, again, cancellationToken);

    private static async ValueTask<Results<RedirectHttpResult, LocalFileResult, FileStreamHttpResult, BytesResult, FetchStreamResult, ErrorResult>> LeaveThenResultOfAsync(
        HttpContext context, DownloadAnswer answer, Func<Task<DownloadAnswer>> again, CancellationToken cancellationToken)
    {
        await EventLoopServing.LeaveAsync(context);
        return await ResultOfCoreAsync(answer, again, cancellationToken);
    }

    /// <summary>
    /// A redirect, an error or a small file goes out in one go. A fetch or a large file can wait on a slow client
    /// between chunks, and must not do that, or read the next chunk, on the event thread (<see cref="EventLoopServing"/>).
    /// </summary>
    private static bool SentAtOnce(DownloadAnswer answer) => answer switch
    {
        FetchDownload => false,
        ServeDownload { Target: LocalFileDownload file } => file.Length <= SentAtOnceBytes,
        ServeDownload { Target: StreamDownload stream } => stream.Length <= SentAtOnceBytes,
        _ => true,
    };

    internal const long SentAtOnceBytes = 256 * 1024;

    private static ValueTask<Results<RedirectHttpResult, LocalFileResult, FileStreamHttpResult, BytesResult, FetchStreamResult, ErrorResult>> ResultOfCoreAsync(
        DownloadAnswer answer, Func<Task<DownloadAnswer>> again, CancellationToken cancellationToken) => answer switch
    {
        ServeDownload { Target: RedirectDownload redirect } => new(TypedResults.Redirect(redirect.Location.AbsoluteUri)),
        ServeDownload { Target: LocalFileDownload file } => new(new LocalFileResult(file)),
        ServeDownload { Target: BytesDownload bytes } => new(new BytesResult(bytes)),
        ServeDownload { Target: StreamDownload stream } => StreamResultAsync(stream, cancellationToken),
        FetchDownload running => new(new FetchStreamResult(running.Fetch, again)),
        _ => new(HttpOutcomes.Download(answer)),
    };

    private static async ValueTask<Results<RedirectHttpResult, LocalFileResult, FileStreamHttpResult, BytesResult, FetchStreamResult, ErrorResult>> StreamResultAsync(
        StreamDownload stream, CancellationToken cancellationToken) => TypedResults.Stream(
            await stream.Open(cancellationToken),
            contentType: PlainDownload.ContentType,
            lastModified: stream.LastModified,
            entityTag: EntityTagHeaderValue.Parse(stream.ETag),
            enableRangeProcessing: true);
}
