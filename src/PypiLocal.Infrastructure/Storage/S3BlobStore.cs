using PypiLocal.Core.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Xml.Linq;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PypiLocal.Core.Caching;
using PypiLocal.Core.Storage;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace PypiLocal.Infrastructure.Storage;

/// <summary>
/// <see cref="IBlobStore"/> on plain S3 (MinIO, AWS S3, Ceph RGW, Garage, moto): SigV4-signed requests over one
/// pooled HttpClient, exactly one request per operation on hot paths (no bucket check, no HEAD before GET).
/// Writes stream from the caller's stream (multipart above <see cref="S3StorageOptions.PartSize"/>) and carry
/// <c>If-None-Match: *</c> / <c>If-Match</c>, also on the multipart completion, so 412 means the precondition failed.
/// Every write is checked against the store's ETag (the MD5 of what was stored), so bytes damaged on the way
/// are written again; a conditional write whose answer is lost is settled by reading the object back.
/// </summary>
public sealed partial class S3BlobStore : IBlobStore, IDisposable
{
    private static readonly HttpMethod Head = HttpMethod.Head;

    // A write is sent at most this often: again after a lost answer that a read-back could not settle, or over damaged bytes.
    private const int MaxWriteAttempts = 3;
    private readonly S3StorageOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<S3BlobStore> _logger;
    private readonly S3Signer _signer;
    private readonly HttpClient _http;
    private readonly Uri _publicEndpoint;
    private readonly Lock _bucketLock = new();

    // Each key's URL, signed once per window rather than per download: signing and parsing it was about 40 % of a
    // redirect's CPU (bench/README.md). 2 MiB holds several thousand.
    private readonly BoundedMemory<string, SignedUrl> _signed = new(2 << 20, signed => 2L * signed.Url.OriginalString.Length);
    private Task? _bucketReady;

    public S3BlobStore(IOptions<S3StorageOptions> options, TimeProvider time, ILogger<S3BlobStore> logger, IHttpClientFactory httpClients)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
        var endpoint = _options.Endpoint ?? throw new InvalidOperationException("S3 storage needs an endpoint (ConnectionStrings:storage).");
        _publicEndpoint = _options.PublicEndpoint ?? endpoint;
        _signer = new S3Signer(_options.AccessKey ?? "", _options.SecretKey ?? "", _options.Region);

        // One client for the store's lifetime, through the standard resilience handler configured for S3
        // (S3StorageServiceCollectionExtensions): retries of what may be sent twice, per-attempt timeouts.
        _http = httpClients.CreateClient(S3Resilience.HttpClientName);
    }

    public async Task<BlobInfo?> StatAsync(string key, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(Head, ObjectUri(_options.Endpoint!, key)).Mark(idempotent: true), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, key, cancellationToken);
        return new BlobInfo(key, response.Content.Headers.ContentLength ?? 0, ETagOf(response), LastModifiedOf(response));
    }

    public async Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, ObjectUri(_options.Endpoint!, key)).Mark(idempotent: true), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            response.Dispose();
            return null;
        }

        try
        {
            await EnsureSuccessAsync(response, key, cancellationToken);
            var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var length = response.Content.Headers.ContentLength ?? throw new IOException($"GET {key} gave no Content-Length.");
            return new S3ReadStream((offset, ct) => OpenRangeAsync(key, offset, ct), response, body, length);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    public async Task<VersionedContent?> ReadVersionAsync(string key, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, ObjectUri(_options.Endpoint!, key)).Mark(idempotent: true), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, key, cancellationToken);
        return new VersionedContent(await response.Content.ReadAsByteArrayAsync(cancellationToken), ETagOf(response));
    }

    public async Task<BlobWriteResult> PutAsync(string key, Stream content, long length, BlobWriteCondition condition, CancellationToken cancellationToken)
    {
        if (length > _options.PartSize)
        {
            return await PutMultipartAsync(key, content, length, condition, cancellationToken);
        }

        // A request message disposes its body, so each attempt gets a new one from the same start.
        var start = content.CanSeek ? content.Position : (long?)null;
        var wanted = condition;
        var sentBefore = false;
        byte[]? sentMd5 = null;
        for (var attempt = 1; ; attempt++)
        {
            var conditional = IsConditional(condition);
            using var body = await S3UploadContent.CreateAsync(content, length, start, cancellationToken);
            HttpResponseMessage response;
            try
            {
                response = await SendAsync(
                    () => WithCondition(new HttpRequestMessage(HttpMethod.Put, ObjectUri(_options.Endpoint!, key)) { Content = body }, condition)
                        .Mark(idempotent: !conditional, S3Resilience.ForBody(_options, length)),
                    cancellationToken);
            }
            catch (StorageUnavailableException) when (conditional && body.CanReplay && attempt < MaxWriteAttempts)
            {
                // The answer was lost, so the write may or may not have happened: read back rather than send blindly.
                sentMd5 = body.Md5 ?? sentMd5;
                if (await ReadBackAsync(key, sentMd5, condition, cancellationToken) is { } settled)
                {
                    return settled;
                }

                sentBefore = true;
                continue;
            }

            using (response)
            {
                if (IsPreconditionFailure(response, condition))
                {
                    // An earlier attempt whose answer was lost may be what now stands in the way.
                    if (sentBefore && await HoldsAsync(key, body.Md5 ?? sentMd5, cancellationToken) is { } ours)
                    {
                        return BlobWriteResult.Success(ours);
                    }

                    if (wanted != condition)
                    {
                        throw new StorageUnavailableException($"'{key}' changed while a damaged write of it was being repaired.");
                    }

                    return BlobWriteResult.PreconditionFailed;
                }

                await EnsureSuccessAsync(response, key, cancellationToken);
                var etag = ETagOf(response);
                if (body.Md5 is null || !S3ETag.Contradicts(etag, S3ETag.ForObject(body.Md5)))
                {
                    return BlobWriteResult.Success(etag);
                }

                // The store holds other bytes than were sent (damaged on the way): write them again over exactly that version.
                _logger.LogWarning("The store's ETag {ETag} for {Key} does not match the bytes sent; writing them again", etag, key);
                if (!body.CanReplay || attempt >= MaxWriteAttempts)
                {
                    throw new StorageUnavailableException($"The object store stored other bytes than were sent for '{key}'.");
                }

                condition = BlobWriteCondition.IfMatch(etag);
                sentBefore = false;
            }
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, ObjectUri(_options.Endpoint!, key)).Mark(idempotent: true), cancellationToken);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            await EnsureSuccessAsync(response, key, cancellationToken);
        }
    }

    public async IAsyncEnumerable<BlobInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? continuation = null;
        do
        {
            var query = $"list-type=2&prefix={S3Signer.Encode(prefix, true)}"
                + (continuation is null ? "" : $"&continuation-token={S3Signer.Encode(continuation, true)}");
            using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, BucketUri(_options.Endpoint!, query)).Mark(idempotent: true), cancellationToken);
            await EnsureSuccessAsync(response, prefix, cancellationToken);
            var page = XDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var root = page.Root!;
            foreach (var item in root.Elements().Where(e => e.Name.LocalName == "Contents"))
            {
                yield return new BlobInfo(
                    Child(item, "Key") ?? "",
                    long.Parse(Child(item, "Size") ?? "0", CultureInfo.InvariantCulture),
                    Child(item, "ETag") ?? "",
                    DateTimeOffset.Parse(Child(item, "LastModified") ?? "1970-01-01T00:00:00Z", CultureInfo.InvariantCulture).ToUniversalTime());
            }

            continuation = Child(root, "IsTruncated") == "true" ? Child(root, "NextContinuationToken") : null;
        }
        while (continuation is not null);
    }

    public ValueTask<Uri?> GetReadUriAsync(string key, CancellationToken cancellationToken)
    {
        if (_options.DownloadMode == S3DownloadMode.Proxy)
        {
            return ValueTask.FromResult<Uri?>(null);
        }

        // Sign at the start of the current window: the same URL for the whole window, valid until the next ends.
        var window = _options.PresignWindow.Ticks;
        var now = _time.GetUtcNow().UtcTicks;
        var windowStart = now - (now % window);
        if (!_signed.TryGet(key, out var signed) || signed.WindowStart != windowStart)
        {
            var url = _signer.Presign(ObjectUri(_publicEndpoint, key), new DateTimeOffset(windowStart, TimeSpan.Zero), 2 * _options.PresignWindow);
            signed = new SignedUrl(windowStart, url);
            _signed.Set(key, signed);
        }

        return ValueTask.FromResult<Uri?>(signed.Url);
    }

    private sealed record SignedUrl(long WindowStart, Uri Url);

    /// <summary>
    /// Checks that the bucket answers (a HEAD on it); for the health check. With CreateBucket on, a missing
    /// bucket is created first: a new node is then ready without waiting for a request that readiness withholds.
    /// </summary>
    public async Task<bool> BucketExistsAsync(CancellationToken cancellationToken)
    {
        if (_options.CreateBucket)
        {
            await EnsureBucketAsync(cancellationToken);
        }

        using var response = await SendAsync(() => new HttpRequestMessage(Head, BucketUri(_options.Endpoint!, "")).Mark(idempotent: true), cancellationToken, ensureBucket: false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            ForgetBucket();
            return false;
        }

        await EnsureSuccessAsync(response, _options.Bucket, cancellationToken);
        return true;
    }

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> OpenRangeAsync(string key, long offset, CancellationToken cancellationToken)
    {
        var response = await SendAsync(
            () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Get, ObjectUri(_options.Endpoint!, key)).Mark(idempotent: true);
                request.Headers.Range = new(offset, null);
                return request;
            },
            cancellationToken);
        if (response.StatusCode == HttpStatusCode.PartialContent)
        {
            return response;
        }

        response.Dispose();
        throw response.StatusCode == HttpStatusCode.NotFound
            ? new FileNotFoundException($"'{key}' disappeared from storage while being read.")
            : new IOException($"A ranged GET of {key} from byte {offset} answered {(int)response.StatusCode}.");
    }

    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> create, CancellationToken cancellationToken, bool ensureBucket = true)
    {
        if (ensureBucket && _options.CreateBucket)
        {
            await EnsureBucketAsync(cancellationToken);
        }

        using var request = create();
        _signer.Sign(request, _time.GetUtcNow());

        HttpResponseMessage response;
        try
        {
            using (PypiLocalMetrics.TimeStorage(request.Method.Method.ToLowerInvariant()))
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            }
        }
        catch (Exception e) when (e is HttpRequestException or System.Net.Sockets.SocketException)
        {
            // A connection reset just after it was made escapes the handler as a bare SocketException (reading its remote end point).
            throw new StorageUnavailableException($"The object store at {_options.Endpoint} cannot be reached: {e.Message}", e);
        }
        catch (TimeoutRejectedException e)
        {
            throw new StorageUnavailableException($"The object store at {_options.Endpoint} did not answer in time.", e);
        }
        catch (BrokenCircuitException e)
        {
            throw new StorageUnavailableException($"The object store at {_options.Endpoint} is failing; requests are paused for a few seconds.", e);
        }
        catch (RateLimiterRejectedException e)
        {
            throw new StorageUnavailableException($"Too many requests to the object store at {_options.Endpoint} are in flight.", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new StorageUnavailableException($"The object store at {_options.Endpoint} did not answer in time.", e);
        }

        if ((int)response.StatusCode >= 500)
        {
            var status = (int)response.StatusCode;
            response.Dispose();
            throw new StorageUnavailableException($"The object store at {_options.Endpoint} answered {status}.");
        }

        return response;
    }

    private Task EnsureBucketAsync(CancellationToken cancellationToken)
    {
        lock (_bucketLock)
        {
            // A failed attempt is forgotten, so the store recovers once the endpoint comes back.
            if (_bucketReady is null || _bucketReady.IsFaulted || _bucketReady.IsCanceled)
            {
                _bucketReady = CreateBucketAsync();
            }

            return _bucketReady.WaitAsync(cancellationToken);
        }
    }

    /// <summary>The bucket is gone after all: the next request makes it again when CreateBucket is on, as a start does.</summary>
    private void ForgetBucket()
    {
        lock (_bucketLock)
        {
            _bucketReady = null;
        }
    }

    private async Task CreateBucketAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await SendAsync(
            () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Put, BucketUri(_options.Endpoint!, "")).Mark(idempotent: true);
                if (_options.Region != "us-east-1")
                {
                    request.Content = new StringContent(
                        $"<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>{_options.Region}</LocationConstraint></CreateBucketConfiguration>",
                        Encoding.UTF8,
                        "application/xml");
                }

                return request;
            },
            cts.Token,
            ensureBucket: false);
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            return; // BucketAlreadyOwnedByYou (or already exists): fine.
        }

        await EnsureSuccessAsync(response, _options.Bucket, cts.Token);
        _logger.LogInformation("Created bucket {Bucket}", _options.Bucket);
    }

    /// <summary>
    /// After a conditional write whose answer was lost: the write's result if the object now settles it (it holds
    /// the bytes sent, whose MD5 is known once they were all sent, or the condition can no longer hold), or null
    /// when it did not happen and may be sent again.
    /// </summary>
    private async Task<BlobWriteResult?> ReadBackAsync(string key, byte[]? sentMd5, BlobWriteCondition condition, CancellationToken cancellationToken)
    {
        var current = await StatAsync(key, cancellationToken);
        if (current is not null && sentMd5 is { } md5 && S3ETag.Confirms(current.ETag, S3ETag.ForObject(md5)))
        {
            return BlobWriteResult.Success(current.ETag);
        }

        if (current is not null && !S3ETag.IsDigest(current.ETag))
        {
            throw new StorageUnavailableException($"Whether the write of '{key}' happened cannot be told: the store's ETags are not digests.");
        }

        var stillPossible = condition.MustNotExist ? current is null : current is not null && current.ETag == condition.IfMatchETag;
        return stillPossible ? null : BlobWriteResult.PreconditionFailed;
    }

    /// <summary>The object's ETag when it holds exactly the bytes with this MD5, else null.</summary>
    private async Task<string?> HoldsAsync(string key, byte[]? md5, CancellationToken cancellationToken) =>
        md5 is not null && await StatAsync(key, cancellationToken) is { } current && S3ETag.Confirms(current.ETag, S3ETag.ForObject(md5))
            ? current.ETag
            : null;

    private static bool IsConditional(BlobWriteCondition condition) => condition.MustNotExist || condition.IfMatchETag is not null;

    private static HttpRequestMessage WithCondition(HttpRequestMessage request, BlobWriteCondition condition)
    {
        if (condition.MustNotExist)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", "*");
        }

        if (condition.IfMatchETag is { } etag)
        {
            request.Headers.TryAddWithoutValidation("If-Match", etag);
        }

        return request;
    }

    // 409 is AWS's ConditionalRequestConflict (a concurrent conditional write to the key; the caller retries),
    // and If-Match on a missing key answers 404 NoSuchKey.
    private static bool IsPreconditionFailure(HttpResponseMessage response, BlobWriteCondition condition) =>
        response.StatusCode is HttpStatusCode.PreconditionFailed
        || (response.StatusCode is HttpStatusCode.Conflict && (condition.MustNotExist || condition.IfMatchETag is not null))
        || (response.StatusCode is HttpStatusCode.NotFound && condition.IfMatchETag is not null);

    private async Task EnsureSuccessAsync(HttpResponseMessage response, string key, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        string? code = null;
        string? message = null;
        if (response.RequestMessage?.Method != Head)
        {
            try
            {
                var error = XDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).Root;
                code = error is null ? null : Child(error, "Code");
                message = error is null ? null : Child(error, "Message");
            }
            catch (System.Xml.XmlException)
            {
                // Not an S3 error document: report the status alone.
            }
        }

        if (code == "NoSuchBucket")
        {
            // The store lost the bucket (restarted without its data, or it was deleted): an outage, not a bad request.
            ForgetBucket();
            throw new StorageUnavailableException($"The bucket '{_options.Bucket}' does not exist at {_options.Endpoint}.");
        }

        throw new S3RequestException(response.StatusCode, code, $"The object store refused {response.RequestMessage?.Method} {key}: {(int)response.StatusCode} {code} {message}".TrimEnd());
    }

    private Uri BucketUri(Uri endpoint, string query)
    {
        var baseUri = _options.ForcePathStyle
            ? $"{endpoint.GetLeftPart(UriPartial.Authority)}/{_options.Bucket}"
            : $"{endpoint.Scheme}://{_options.Bucket}.{endpoint.Authority}/";
        return new Uri(query.Length == 0 ? baseUri : $"{baseUri}?{query}");
    }

    private Uri ObjectUri(Uri endpoint, string key) =>
        new(_options.ForcePathStyle
            ? $"{endpoint.GetLeftPart(UriPartial.Authority)}/{_options.Bucket}/{S3Signer.Encode(key, false)}"
            : $"{endpoint.Scheme}://{_options.Bucket}.{endpoint.Authority}/{S3Signer.Encode(key, false)}");

    private static string ETagOf(HttpResponseMessage response) => response.Headers.ETag?.ToString() ?? "";

    private static DateTimeOffset LastModifiedOf(HttpResponseMessage response) =>
        response.Content.Headers.LastModified?.ToUniversalTime() ?? DateTimeOffset.UnixEpoch;

    private static string? Child(XElement element, string name) =>
        element.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
}
