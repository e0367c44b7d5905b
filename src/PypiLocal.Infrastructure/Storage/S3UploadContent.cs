using System.Buffers;
using System.Net;
using System.Security.Cryptography;

namespace PypiLocal.Infrastructure.Storage;

/// <summary>
/// A request body of exactly <c>length</c> bytes read from the caller's stream (which stays open): a whole
/// object, or one multipart part cut from it, copied through a small pooled buffer. The MD5 of the bytes sent
/// is computed on the way, so the store's ETag can be checked against it (what was stored is what was sent)
/// and a write whose answer was lost can be recognised by reading the object's ETag back. From a seekable
/// stream the body can be sent again (a retry seeks back to where it started); small ones also carry
/// Content-MD5, so a store that checks it refuses damaged bytes before they replace anything.
/// </summary>
internal sealed class S3UploadContent : HttpContent
{
    private const int BufferSize = 128 * 1024;
    private const long ContentMd5Limit = 1024 * 1024;
    private readonly Stream _source;
    private readonly long _length;
    private readonly long _start;
    private byte[]? _md5;
    private bool _started;

    private S3UploadContent(Stream source, long length, long? start)
    {
        _source = source;
        _length = length;
        _start = source.CanSeek ? start ?? source.Position : -1;
        Headers.ContentLength = length;
        Headers.ContentType = new("application/octet-stream");
    }

    /// <param name="source">The caller's stream, left open.</param>
    /// <param name="length">How many bytes to send from it.</param>
    /// <param name="start">Where in a seekable stream the body starts; its current position when null.</param>
    /// <param name="cancellationToken">Cancels reading a small body for its Content-MD5.</param>
    public static async Task<S3UploadContent> CreateAsync(Stream source, long length, long? start, CancellationToken cancellationToken)
    {
        var content = new S3UploadContent(source, length, start);
        if (content.CanReplay && length <= ContentMd5Limit)
        {
            source.Position = content._start;
            content._md5 = await content.HashAndRewindAsync(cancellationToken);
            content.Headers.ContentMD5 = content._md5;
        }

        return content;
    }

    /// <summary>True when the body can be sent again (by a new content from <see cref="Start"/>): the source is seekable.</summary>
    public bool CanReplay => _start >= 0;

    /// <summary>The MD5 of the whole body once it has been sent (or computed up front), else null.</summary>
    public byte[]? Md5 => _md5;

    /// <summary>Where the body starts in its stream, or -1 when the stream cannot seek.</summary>
    public long Start => _start;

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        if (CanReplay)
        {
            _source.Position = _start;
        }
        else if (_started)
        {
            throw new InvalidOperationException("This upload body was already sent and its stream cannot seek back.");
        }

        _started = true;
        _md5 = await ReadHashingAsync(stream, BufferSize, cancellationToken);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _length;
        return true;
    }

    private async Task<byte[]> HashAndRewindAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await ReadHashingAsync(null, (int)Math.Min(BufferSize, Math.Max(_length, 1)), cancellationToken);
        }
        finally
        {
            _source.Position = _start;
        }
    }

    /// <summary>Reads the declared length from the source, copying it to <paramref name="destination"/> if any; returns its MD5.</summary>
    private async Task<byte[]> ReadHashingAsync(Stream? destination, int bufferSize, CancellationToken cancellationToken)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
        try
        {
            var remaining = _length;
            while (remaining > 0)
            {
                var read = await _source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken);
                if (read == 0)
                {
                    throw new EndOfStreamException($"The upload stream ended {remaining} bytes before its declared length.");
                }

                md5.AppendData(buffer, 0, read);
                if (destination is not null)
                {
                    await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }

                remaining -= read;
            }

            return md5.GetHashAndReset();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
