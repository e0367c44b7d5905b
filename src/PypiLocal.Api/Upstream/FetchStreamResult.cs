using PypiLocal.Api.Endpoints;
using PypiLocal.Core.Downloads;
using PypiLocal.Core.Upstream;

namespace PypiLocal.Api.Upstream;

/// <summary>
/// Streams an upstream file to a client while this node fetches it. A file up to <see cref="CheckedWhole"/> bytes is
/// checked against the upstream's sha256 before its first byte is sent, so a mismatch is a clean 502 with the reason;
/// a larger one streams as it arrives, but its last byte only after the check passed: if it fails, the connection is
/// cut, and the client sees an incomplete transfer, never a complete wrong file.
/// </summary>
internal sealed class FetchStreamResult(UpstreamFetch fetch, Func<Task<DownloadAnswer>> again) : IResult
{
    /// <summary>Files up to this size are verified whole before the answer starts.</summary>
    internal const long CheckedWhole = 1 << 20;

    /// <summary>Only a plain GET streams a fetch in progress; ranges, HEAD and conditional requests wait for the kept copy.</summary>
    public static bool CanStream(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) && request.Headers.Range.Count == 0
        && request.Headers.IfNoneMatch.Count == 0 && request.Headers.IfModifiedSince.Count == 0;

    /// <summary>A fetch that ended without keeping anything, as a download answer.</summary>
    public static DownloadAnswer Failure(FetchOutcome outcome) =>
        outcome.NotFound ? new MissingDownload(outcome.Failure!) : new FailedDownload(outcome.Failure!);

    public async Task ExecuteAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        using var reader = fetch.OpenReader();
        if (reader is null)
        {
            // Over before this client started reading: the kept copy, or the failure.
            await AnswerAfterAsync(context, await fetch.Completion);
            return;
        }

        await fetch.WaitForMoreAsync(fetch.Length is { } length && length <= CheckedWhole ? length : CheckedWhole, cancellationToken);
        if (fetch.Verified.IsCompleted && !await fetch.Verified)
        {
            await AnswerAfterAsync(context, await fetch.Completion);
            return;
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/octet-stream";
        response.ContentLength = fetch.Length;
        var position = 0L;
        while (true)
        {
            position = await reader.CopyAvailableAsync(position, response.Body, cancellationToken);
            await response.Body.FlushAsync(cancellationToken);
            if (!fetch.Verified.IsCompleted)
            {
                continue;
            }

            if (!await fetch.Verified) // complete: no wait
            {
                // Headers and most bytes are out: cutting the connection is the only way to tell the client.
                context.Abort();
                return;
            }

            if (position >= fetch.Written)
            {
                return;
            }
        }
    }

    private async Task AnswerAfterAsync(HttpContext context, FetchOutcome outcome)
    {
        var answer = outcome.Kept ? await again() : Failure(outcome);
        var result = await PackageEndpoints.ResultOfAsync(context, answer, again, context.RequestAborted);
        await result.ExecuteAsync(context);
    }
}
