using System.Globalization;
using System.Net;
using System.Text;
using System.Xml.Linq;
using Microsoft.Extensions.Logging;
using PypiLocal.Core.Storage;

namespace PypiLocal.Infrastructure.Storage;

/// <summary>Writes of objects larger than one part: a multipart upload whose parts and result are checked against their MD5s.</summary>
public sealed partial class S3BlobStore
{
    private async Task<BlobWriteResult> PutMultipartAsync(string key, Stream content, long length, BlobWriteCondition condition, CancellationToken cancellationToken)
    {
        // Check first: do not send a gigabyte just to be told it already exists. This also keeps the conditions
        // on stores that ignore them on CompleteMultipartUpload (moto), which AWS S3 and MinIO honour atomically.
        if (IsConditional(condition))
        {
            var existing = await StatAsync(key, cancellationToken);
            if ((condition.MustNotExist && existing is not null)
                || (condition.IfMatchETag is { } expected && existing?.ETag != expected))
            {
                return BlobWriteResult.PreconditionFailed;
            }
        }

        var objectUri = ObjectUri(_options.Endpoint!, key);
        string uploadId;

        // Sending this twice only leaves an unused upload behind, which the bucket's lifecycle rules remove.
        using (var created = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, new Uri(objectUri + "?uploads")).Mark(idempotent: true), cancellationToken))
        {
            await EnsureSuccessAsync(created, key, cancellationToken);
            uploadId = Child(XDocument.Parse(await created.Content.ReadAsStringAsync(cancellationToken)).Root!, "UploadId")
                ?? throw new IOException($"The store started no multipart upload for {key}.");
        }

        var uploadQuery = $"uploadId={S3Signer.Encode(uploadId, true)}";
        try
        {
            var parts = new List<(int Number, string ETag, byte[] Md5)>();
            for (long offset = 0, number = 1; offset < length; offset += _options.PartSize, number++)
            {
                var size = Math.Min(_options.PartSize, length - offset);
                parts.Add(await PutPartAsync(key, new Uri($"{objectUri}?partNumber={number}&{uploadQuery}"), (int)number, content, size, cancellationToken));
            }

            var expected = S3ETag.ForMultipart([.. parts.Select(p => p.Md5)]);
            var body = new StringBuilder("<CompleteMultipartUpload>");
            foreach (var (number, etag, _) in parts)
            {
                body.Append(CultureInfo.InvariantCulture, $"<Part><PartNumber>{number}</PartNumber><ETag>{System.Security.SecurityElement.Escape(etag)}</ETag></Part>");
            }

            body.Append("</CompleteMultipartUpload>");
            HttpResponseMessage completed;
            try
            {
                // Not idempotent (a second completion finds no upload), and the store may take a while to assemble a large object.
                completed = await SendAsync(
                    () => WithCondition(new HttpRequestMessage(HttpMethod.Post, new Uri($"{objectUri}?{uploadQuery}")) { Content = new StringContent(body.ToString(), Encoding.UTF8, "application/xml") }, condition)
                        .Mark(idempotent: false, S3Resilience.ForBody(_options, length)),
                    cancellationToken);
            }
            catch (StorageUnavailableException)
            {
                // The answer was lost: the object is ours if it now has the ETag these parts make.
                if (await StatAsync(key, cancellationToken) is { } stored && S3ETag.Confirms(stored.ETag, expected))
                {
                    return BlobWriteResult.Success(stored.ETag);
                }

                throw;
            }

            using (completed)
            {
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
                    throw new StorageUnavailableException($"Completing the upload of {key} failed: {Child(result, "Code")} {Child(result, "Message")}");
                }

                var etag = Child(result, "ETag") ?? ETagOf(completed);
                if (S3ETag.Contradicts(etag, expected))
                {
                    throw new StorageUnavailableException($"The object store assembled other bytes than were sent for '{key}'.");
                }

                return BlobWriteResult.Success(etag);
            }
        }
        catch
        {
            await AbortAsync(objectUri, uploadQuery);
            throw;
        }
    }

    /// <summary>One part, sent again (from the same place in the stream) if the store's ETag shows it was damaged on the way.</summary>
    private async Task<(int Number, string ETag, byte[] Md5)> PutPartAsync(string key, Uri partUri, int number, Stream content, long size, CancellationToken cancellationToken)
    {
        var start = content.CanSeek ? content.Position : (long?)null;
        for (var attempt = 1; ; attempt++)
        {
            using var body = await S3UploadContent.CreateAsync(content, size, start, cancellationToken);
            using var part = await SendAsync(
                () => new HttpRequestMessage(HttpMethod.Put, partUri) { Content = body }.Mark(idempotent: true, S3Resilience.ForBody(_options, size)),
                cancellationToken);
            await EnsureSuccessAsync(part, key, cancellationToken);
            var etag = ETagOf(part);
            if (!S3ETag.Contradicts(etag, S3ETag.ForObject(body.Md5!)))
            {
                return (number, etag, body.Md5!);
            }

            _logger.LogWarning("The store's ETag {ETag} for part {Part} of {Key} does not match the bytes sent; sending it again", etag, number, key);
            if (!body.CanReplay || attempt >= MaxWriteAttempts)
            {
                throw new StorageUnavailableException($"The object store stored other bytes than were sent for part {number} of '{key}'.");
            }
        }
    }

    private async Task AbortAsync(Uri objectUri, string uploadQuery)
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            using var aborted = await SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, new Uri($"{objectUri}?{uploadQuery}")).Mark(idempotent: true), cts.Token);
        }
        catch (Exception e) when (e is StorageUnavailableException or OperationCanceledException)
        {
            _logger.LogWarning(e, "Could not abort multipart upload {Uri}; the bucket's lifecycle rules must clean it up", objectUri);
        }
    }
}
