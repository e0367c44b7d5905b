using System.Globalization;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using PypiLocal.Api.Publishing;
using PypiLocal.Core.Auth;
using PypiLocal.Core.Downloads;
using PypiLocal.Core.IO;
using PypiLocal.Core.Publishing;
using PypiLocal.Core.Storage;
using PypiLocal.Core.Upstream;

namespace PypiLocal.Api.Http;

/// <summary>
/// Every outcome of the services, and every exception that escapes an endpoint, mapped to HTTP in one place.
/// The body and reason phrase are shaped by <see cref="ErrorResult"/>.
/// </summary>
internal static class HttpOutcomes
{
    private static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(5);

    public static int StatusCodeOf(UploadStatus status) => status switch
    {
        UploadStatus.Created or UploadStatus.Identical or UploadStatus.Changed => StatusCodes.Status200OK,
        UploadStatus.Conflict => StatusCodes.Status409Conflict,
        UploadStatus.Forbidden => StatusCodes.Status403Forbidden,
        UploadStatus.TooLarge => StatusCodes.Status413PayloadTooLarge,
        UploadStatus.NotFound => StatusCodes.Status404NotFound,
        _ => StatusCodes.Status400BadRequest,
    };

    /// <summary>An upload's answer: 200 with the (usually empty) message as body, as twine expects, or the error.</summary>
    public static Results<ContentHttpResult, ErrorResult> Upload(UploadOutcome outcome) =>
        outcome.Succeeded
            ? TypedResults.Text(outcome.Message.Length == 0 ? "" : outcome.Message + "\n", "text/plain; charset=utf-8")
            : Error(outcome);

    /// <summary>A management answer: 200 with the files touched as JSON, or the error.</summary>
    public static Results<JsonHttpResult<ManagementReply>, ErrorResult> Management(UploadOutcome outcome) =>
        outcome.Succeeded
            ? TypedResults.Json(ManagementReply.From(outcome), ApiJsonContext.Web.ManagementReply, contentType: "application/json")
            : Error(outcome);

    /// <summary>401 asking for Basic credentials, 429 with Retry-After after too many failed logins, or 403; the decision's message as the reason.</summary>
    public static ErrorResult AccessDenied(AccessDecision decision, string realm) => decision.Result switch
    {
        AccessResult.Challenge => new ErrorResult(StatusCodes.Status401Unauthorized, decision.Message).WithHeader(HeaderNames.WWWAuthenticate, $"Basic realm=\"{realm}\""),
        AccessResult.Throttled => TooManyRequests(decision.Message, decision.RetryAfter),
        _ => new ErrorResult(StatusCodes.Status403Forbidden, decision.Message),
    };

    /// <summary>429 with the wait in whole seconds (at least one) as Retry-After.</summary>
    public static ErrorResult TooManyRequests(string message, TimeSpan retryAfter) =>
        new ErrorResult(StatusCodes.Status429TooManyRequests, message).WithHeader(HeaderNames.RetryAfter, Seconds(retryAfter));

    public static ErrorResult NotFound(string message) => new(StatusCodes.Status404NotFound, message);

    /// <summary>
    /// A download that has no bytes to send: 404 when there is no such file, 403 with the reason when a release
    /// policy holds it back (lockfiles fetch files without reading pages), 502 when the upstream failed and nothing
    /// kept can stand in.
    /// </summary>
    public static ErrorResult Download(DownloadAnswer answer) => answer switch
    {
        MissingDownload missing => NotFound(missing.Message),
        RefusedDownload refused => new(StatusCodes.Status403Forbidden, refused.Reason),
        FailedDownload failed => new(StatusCodes.Status502BadGateway, failed.Reason),
        _ => throw new ArgumentException($"{answer} has bytes to send.", nameof(answer)),
    };

    /// <summary>
    /// The answer to an exception no endpoint handled: a client's malformed or oversized request is a 4xx with the
    /// reason; storage that cannot be reached is 503 with Retry-After; a full disk is 507 with the reason; an upstream
    /// index that fails with nothing kept to stand in is 502 with its failure; never a 500 with a stack trace.
    /// </summary>
    public static ErrorResult Of(Exception? exception) => exception switch
    {
        UploadFormException => new(StatusCodes.Status400BadRequest, exception.Message),
        UploadTooLargeException => new(StatusCodes.Status413PayloadTooLarge, exception.Message),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => new(StatusCodes.Status413PayloadTooLarge, "The upload is larger than this index accepts."),
        BadHttpRequestException => new(StatusCodes.Status400BadRequest, $"The request body is incomplete or malformed: {exception.Message}"),
        UploadsBusyException busy => Unavailable(busy.Message, busy.RetryAfter),
        TokenRefusedException refused => new(refused.Problem switch
        {
            TokenProblem.Forbidden => StatusCodes.Status403Forbidden,
            TokenProblem.NotFound => StatusCodes.Status404NotFound,
            _ => StatusCodes.Status400BadRequest,
        }, refused.Message),
        AccountRefusedException refused => new(refused.Problem switch
        {
            AccountProblem.Forbidden => StatusCodes.Status403Forbidden,
            AccountProblem.NotFound => StatusCodes.Status404NotFound,
            AccountProblem.Conflict => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status400BadRequest,
        }, refused.Message),
        UpstreamUnavailableException => new(StatusCodes.Status502BadGateway, exception.Message),
        StorageUnavailableException unavailable => Unavailable("The package storage is unavailable; try again shortly.", unavailable.RetryAfter),
        IOException when DiskFull.Is(exception) => new(StatusCodes.Status507InsufficientStorage, "Insufficient storage: the index has no space left on its disk for this; nothing was kept, try again once space is freed."),
        IOException or UnauthorizedAccessException => Unavailable("The package storage could not be read; try again shortly.", DefaultRetryAfter),
        _ => new(StatusCodes.Status500InternalServerError, "The server failed to answer this request."),
    };

    /// <summary>A client that went away mid-request: nothing to answer, nothing to log but a line.</summary>
    public static bool IsAbandoned(HttpContext context, Exception? exception) =>
        context.RequestAborted.IsCancellationRequested || exception is ConnectionResetException;

    /// <summary>Exceptions that are answers, not faults: logged in one line (or not at all), never with a stack trace.</summary>
    public static bool IsExpected(Exception exception) =>
        exception is UploadFormException or UploadTooLargeException or UploadsBusyException or TokenRefusedException or AccountRefusedException or BadHttpRequestException
            or StorageUnavailableException or UpstreamUnavailableException
        || DiskFull.Is(exception);

    private static ErrorResult Error(UploadOutcome outcome) => new(StatusCodeOf(outcome.Status), outcome.Message);

    private static ErrorResult Unavailable(string message, TimeSpan retryAfter) =>
        new ErrorResult(StatusCodes.Status503ServiceUnavailable, message)
            .WithHeader(HeaderNames.RetryAfter, Seconds(retryAfter));

    private static string Seconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
