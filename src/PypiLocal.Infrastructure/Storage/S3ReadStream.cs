namespace PypiLocal.Infrastructure.Storage;

/// <summary>
/// A seekable, lazily read object. It starts on the response of the GET that opened it; a seek moves the
/// position only, and the next read after a seek drops that response and issues a ranged GET from there.
/// So ASP.NET's range processing (seek, then copy) fetches only the bytes it sends.
/// </summary>
internal sealed class S3ReadStream(
    Func<long, CancellationToken, Task<HttpResponseMessage>> openRange,
    HttpResponseMessage initial,
    Stream initialBody,
    long length) : Stream
{
    private HttpResponseMessage? _response = initial;
    private Stream? _body = initialBody;
    private long _bodyPosition;
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => length + offset,
        };
        ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
        _position = target;
        return _position;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= length || buffer.Length == 0)
        {
            return 0;
        }

        if (_body is null || _bodyPosition != _position)
        {
            DropResponse();
            _response = await openRange(_position, cancellationToken);
            _body = await _response.Content.ReadAsStreamAsync(cancellationToken);
            _bodyPosition = _position;
        }

        var read = await _body.ReadAsync(buffer[..(int)Math.Min(buffer.Length, length - _position)], cancellationToken);
        if (read == 0)
        {
            throw new IOException($"The object ended at byte {_position} of {length}.");
        }

        _position += read;
        _bodyPosition += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            DropResponse();
        }

        base.Dispose(disposing);
    }

    private void DropResponse()
    {
        _body?.Dispose();
        _response?.Dispose();
        _body = null;
        _response = null;
    }
}
