namespace PypiLocal.Api.Hosting;

/// <summary>
/// A request body whose reads always resume on the thread pool. A request that left the event thread
/// (<see cref="EventLoopServing.LeaveAsync"/>) can still be handed back to it: data that arrived before its
/// connection was switched is received on the event thread, and Kestrel's inline pipes then resume the waiting
/// read right there. A read that resumes off the pool moves on to the pool before it returns, so an upload's parsing
/// and hashing never hold up the connections served on the event thread.
/// </summary>
internal sealed class PoolResumingStream(Stream inner) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        await EventLoopServing.OntoThePoolAsync();
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => inner.Read(buffer);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
