using System.Buffers;
using System.Net;

namespace PypiLocal.Infrastructure.Storage;

/// <summary>
/// A request body of exactly <c>length</c> bytes read from the caller's stream (which stays open):
/// a whole object, or one multipart part cut from it, copied through a small pooled buffer.
/// </summary>
internal sealed class S3UploadContent : HttpContent
{
    private const int BufferSize = 128 * 1024;
    private readonly Stream _source;
    private readonly long _length;

    public S3UploadContent(Stream source, long length)
    {
        _source = source;
        _length = length;
        Headers.ContentLength = length;
        Headers.ContentType = new("application/octet-stream");
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
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

                await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                remaining -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _length;
        return true;
    }
}
