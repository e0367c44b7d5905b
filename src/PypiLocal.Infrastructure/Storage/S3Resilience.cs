using System.Net.Sockets;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace PypiLocal.Infrastructure.Storage;

/// <summary>
/// How the standard resilience handler treats requests to the object store. Retries (exponential backoff with
/// jitter) on 5xx, SlowDown, 429 and timeouts, but only for requests that may be sent twice: the store marks
/// them <see cref="Idempotent"/> (reads, deletes, unconditional writes, parts). A conditional write whose answer
/// is lost may have happened, so it is never sent again blindly; the store reads the object back instead. A
/// request the store never received (connection refused) is always safe to send again.
/// </summary>
internal static class S3Resilience
{
    public const string HttpClientName = "PypiLocal.S3";

    /// <summary>Set by the store on requests that have the same effect when sent twice.</summary>
    public static readonly HttpRequestOptionsKey<bool> Idempotent = new("PypiLocal.S3.Idempotent");

    /// <summary>Set by the store on requests whose attempt may take longer than the default (bodies, completions).</summary>
    public static readonly HttpRequestOptionsKey<TimeSpan> AttemptTimeout = new("PypiLocal.S3.AttemptTimeout");

    /// <summary>A body slower than this counts as stalled: its attempt times out.</summary>
    public const long MinBytesPerSecond = 1024 * 1024;

    public const int MaxRetryAttempts = 3;

    /// <summary>
    /// <see cref="S3StorageOptions.RequestTimeout"/> bounds a request without a body, retries included (the
    /// standard handler's total timeout); each attempt gets a third of it. Requests with a body get more per
    /// attempt, as the store says, and no total bound beyond their attempts.
    /// </summary>
    public static void Configure(HttpStandardResilienceOptions options, S3StorageOptions storage)
    {
        var total = storage.RequestTimeout;
        var attempt = TimeSpan.FromTicks(Math.Max(total.Ticks / MaxRetryAttempts, TimeSpan.FromMilliseconds(500).Ticks));
        options.TotalRequestTimeout.Timeout = total + TimeSpan.FromSeconds(1);
        options.TotalRequestTimeout.TimeoutGenerator = args =>
            ValueTask.FromResult(args.Context.GetRequestMessage()?.Options.TryGetValue(AttemptTimeout, out _) is true ? Timeout.InfiniteTimeSpan : total);
        options.AttemptTimeout.Timeout = attempt;
        options.AttemptTimeout.TimeoutGenerator = args =>
            ValueTask.FromResult(args.Context.GetRequestMessage()?.Options.TryGetValue(AttemptTimeout, out var longer) is true ? longer : attempt);

        options.Retry.MaxRetryAttempts = MaxRetryAttempts;
        options.Retry.BackoffType = DelayBackoffType.Exponential;
        options.Retry.UseJitter = true;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.ShouldHandle = args => ValueTask.FromResult(
            HttpClientResiliencePredicates.IsTransient(args.Outcome) && MaySendAgain(args.Context.GetRequestMessage(), args.Outcome));

        // The breaker's window must hold at least two attempts (the standard options' own rule).
        options.CircuitBreaker.SamplingDuration = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(30).Ticks, 2 * attempt.Ticks + TimeSpan.TicksPerSecond));
    }

    /// <summary>The attempt timeout for a body of <paramref name="bytes"/> bytes: the default plus its transfer at the slowest acceptable rate.</summary>
    public static TimeSpan ForBody(S3StorageOptions storage, long bytes) =>
        TimeSpan.FromTicks(Math.Max(storage.RequestTimeout.Ticks / MaxRetryAttempts, TimeSpan.FromMilliseconds(500).Ticks))
        + TimeSpan.FromSeconds((double)bytes / MinBytesPerSecond);

    private static bool MaySendAgain(HttpRequestMessage? request, Outcome<HttpResponseMessage> outcome)
    {
        if (request is null || request.Content is S3UploadContent { CanReplay: false })
        {
            return false;
        }

        return NeverSent(outcome.Exception) || (request.Options.TryGetValue(Idempotent, out var idempotent) && idempotent);
    }

    // Refused at connect: the store never saw the request, whatever it was.
    private static bool NeverSent(Exception? exception) =>
        exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError, InnerException: SocketException { SocketErrorCode: SocketError.ConnectionRefused } };

    /// <summary>Marks a request as safe to send twice (or not), and gives a body its longer attempt timeout.</summary>
    public static HttpRequestMessage Mark(this HttpRequestMessage request, bool idempotent, TimeSpan? attemptTimeout = null)
    {
        request.Options.Set(Idempotent, idempotent);
        if (attemptTimeout is { } timeout)
        {
            request.Options.Set(AttemptTimeout, timeout);
        }

        return request;
    }
}
