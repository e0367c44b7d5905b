using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Xml.Linq;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PypiLocal.Core.Storage;

namespace PypiLocal.Infrastructure.Storage;

/// <summary>
/// <see cref="IBlobStore"/> on plain S3 (MinIO, AWS S3, Ceph RGW, Garage, moto): SigV4-signed requests over one
/// pooled HttpClient, exactly one request per operation on hot paths (no bucket check, no HEAD before GET).
/// Writes stream from the caller's stream (multipart above <see cref="S3StorageOptions.PartSize"/>) and carry
/// <c>If-None-Match: *</c> / <c>If-Match</c>, also on the multipart completion, so 412 means the precondition failed.
/// </summary>
public sealed class S3BlobStore : IBlobStore, IDisposable
{
    private static readonly HttpMethod Head = HttpMethod.Head;
    private readonly S3StorageOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<S3BlobStore> _logger;
    private readonly S3Signer _signer;
    private readonly HttpClient _http;
    private readonly Uri _publicEndpoint;
    private readonly Lock _bucketLock = new();
    private Task? _bucketReady;

    public S3BlobStore(IOptions<S3StorageOptions> options, TimeProvider time, ILogger<S3BlobStore> logger)
        : this(options, time, logger, null)
    {
    }

    /// <param name="handler">Replaces the socket handler (tests count requests with it).</param>
    internal S3BlobStore(IOptions<S3StorageOptions> options, TimeProvider time, ILogger<S3BlobStore> logger, HttpMessageHandler? handler)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
        var endpoint = _options.Endpoint ?? throw new InvalidOperationException("S3 storage needs an endpoint (ConnectionStrings:storage).");
        _publicEndpoint = _options.PublicEndpoint ?? endpoint;
        _signer = new S3Signer(_options.AccessKey ?? "", _options.SecretKey ?? "", _options.Region);

        // Our own client, not IHttpClientFactory's: the default resilience handler would time out a 1 GiB
        // upload and cannot replay a streamed body. Cancellation bounds each operation instead.
        _http = new HttpClient(handler ?? new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.None,
            MaxConnectionsPerServer = 256,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public async Task<BlobInfo?> StatAsync(string key, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(Head, ObjectUri(_options.Endpoint!, key)), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, key, cancellationToken);
        return new BlobInfo(key, response.Content.Headers.ContentLength ?? 0, ETagOf(response), LastModifiedOf(response));
    }

    public async Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, ObjectUri(_options.Endpoint!, key)), cancellationToken);
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

    public async Task<BlobWriteResult> PutAsync(string key, Stream content, long length, BlobWriteCondition condition, CancellationToken cancellationToken)
    {
        if (length <= _options.PartSize)
        {
            using var response = await SendAsync(
                () => WithCondition(new HttpRequestMessage(HttpMethod.Put, ObjectUri(_options.Endpoint!, key)) { Content = new S3UploadContent(content, length) }, condition),
                cancellationToken);
            if (IsPreconditionFailure(response, condition))
            {
                return BlobWriteResult.PreconditionFailed;
            }

            await EnsureSuccessAsync(response, key, cancellationToken);
            return BlobWriteResult.Success(ETagOf(response));
        }

        // Check first: do not send a gigabyte just to be told it already exists. This also keeps the conditions
        // on stores that ignore them on CompleteMultipartUpload (moto), which AWS S3 and MinIO honour atomically.
        if (condition.MustNotExist || condition.IfMatchETag is not null)
        {
            var existing = await StatAsync(key, cancellationToken);
            if ((condition.MustNotExist && existing is not null)
                || (condition.IfMatchETag is { } expected && existing?.ETag != expected))
            {
                return BlobWriteResult.PreconditionFailed;
            }
        }

        return await PutMultipartAsync(key, content, length, condition, cancellationToken);
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, ObjectUri(_options.Endpoint!, key)), cancellationToken);
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
            using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, BucketUri(_options.Endpoint!, query)), cancellationToken);
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
        var signingTime = new DateTimeOffset(now - (now % window), TimeSpan.Zero);
        return ValueTask.FromResult<Uri?>(_signer.Presign(ObjectUri(_publicEndpoint, key), signingTime, 2 * _options.PresignWindow));
    }

    /// <summary>Checks that the bucket answers (a HEAD on it); for the health check.</summary>
    public async Task<bool> BucketExistsAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(Head, BucketUri(_options.Endpoint!, "")), cancellationToken, ensureBucket: false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        await EnsureSuccessAsync(response, _options.Bucket, cancellationToken);
        return true;
    }

    public void Dispose() => _http.Dispose();

    private async Task<BlobWriteResult> PutMultipartAsync(string key, Stream content, long length, BlobWriteCondition condition, CancellationToken cancellationToken)
    {
        var objectUri = ObjectUri(_options.Endpoint!, key);
        string uploadId;
        using (var created = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, new Uri(objectUri + "?uploads")), cancellationToken))
        {
            await EnsureSuccessAsync(created, key, cancellationToken);
            uploadId = Child(XDocument.Parse(await created.Content.ReadAsStringAsync(cancellationToken)).Root!, "UploadId")
                ?? throw new IOException($"The store started no multipart upload for {key}.");
        }

        var uploadQuery = $"uploadId={S3Signer.Encode(uploadId, true)}";
        try
        {
            var parts = new List<(int Number, string ETag)>();
            for (long offset = 0, number = 1; offset < length; offset += _options.PartSize, number++)
            {
                var size = Math.Min(_options.PartSize, length - offset);
                var partUri = new Uri($"{objectUri}?partNumber={number}&{uploadQuery}");
                using var part = await SendAsync(() => new HttpRequestMessage(HttpMethod.Put, partUri) { Content = new S3UploadContent(content, size) }, cancellationToken);
                await EnsureSuccessAsync(part, key, cancellationToken);
                parts.Add(((int)number, ETagOf(part)));
            }

            var body = new StringBuilder("<CompleteMultipartUpload>");
            foreach (var (number, etag) in parts)
            {
                body.Append(CultureInfo.InvariantCulture, $"<Part><PartNumber>{number}</PartNumber><ETag>{SecurityElementEscape(etag)}</ETag></Part>");
            }

            body.Append("</CompleteMultipartUpload>");
            using var completed = await SendAsync(
                () => WithCondition(new HttpRequestMessage(HttpMethod.Post, new Uri($"{objectUri}?{uploadQuery}")) { Content = new StringContent(body.ToString(), Encoding.UTF8, "application/xml") }, condition),
                cancellationToken);
            if (IsPreconditionFailure(completed, condition))
            {
                await AbortAsync(objectUri, uploadQuery);
                return BlobWriteResult.PreconditionFailed;
            }

            await EnsureSuccessAsync(completed, key, cancellationToken);

            // S3 may answer 200 and report the failure in the body.
            var result = XDocument.Parse(await completed.Content.ReadAsStringAsync(cancellationToken)).Root!;
            if (result.Name.LocalName == "Error")
            {
                throw new S3RequestException(HttpStatusCode.InternalServerError, Child(result, "Code"), $"Completing the upload of {key} failed: {Child(result, "Message")}");
            }

            return BlobWriteResult.Success(Child(result, "ETag") ?? ETagOf(completed));
        }
        catch
        {
            await AbortAsync(objectUri, uploadQuery);
            throw;
        }
    }

    private async Task AbortAsync(Uri objectUri, string uploadQuery)
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            using var aborted = await SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, new Uri($"{objectUri}?{uploadQuery}")), cts.Token);
        }
        catch (Exception e) when (e is StorageUnavailableException or OperationCanceledException)
        {
            _logger.LogWarning(e, "Could not abort multipart upload {Uri}; the bucket's lifecycle rules must clean it up", objectUri);
        }
    }

    private async Task<HttpResponseMessage> OpenRangeAsync(string key, long offset, CancellationToken cancellationToken)
    {
        var response = await SendAsync(
            () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Get, ObjectUri(_options.Endpoint!, key));
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

        // A store that accepts connections but never answers must not hang requests: bound the wait for the
        // response headers of body-less requests (uploads take as long as their bodies need).
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (request.Content is null)
        {
            timeout.CancelAfter(_options.RequestTimeout);
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException or IOException || e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
        {
            throw new StorageUnavailableException($"The object store at {_options.Endpoint} cannot be reached: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
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

    private async Task CreateBucketAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await SendAsync(
            () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Put, BucketUri(_options.Endpoint!, ""));
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

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string key, CancellationToken cancellationToken)
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

    private static string SecurityElementEscape(string value) => System.Security.SecurityElement.Escape(value);
}
