using PypiLocal.Api.Http;
using PypiLocal.Api.Tests.Support;

namespace PypiLocal.Api.Tests.Http;

/// <summary>The bytes <see cref="FileBodyFeature"/> puts in the response pipe, for files of one read and of several.</summary>
public sealed class FileBodyFeatureTests : IDisposable
{
    private readonly string _path = Path.GetTempFileName();

    public void Dispose() => File.Delete(_path);

    [Theory]
    [InlineData(10 * 1024, 0, null)] // one read
    [InlineData(FileBodyFeature.ChunkSize, 0, null)] // one read, whole
    [InlineData(3 * FileBodyFeature.ChunkSize, 0, null)] // several reads
    [InlineData(3 * FileBodyFeature.ChunkSize, FileBodyFeature.ChunkSize - 1024, 10 * 1024L)] // a range across the first read's end
    [InlineData(3 * FileBodyFeature.ChunkSize, 100 * 1024, 2L * FileBodyFeature.ChunkSize)] // a range over several reads
    [InlineData(3 * FileBodyFeature.ChunkSize, 3 * FileBodyFeature.ChunkSize - 1024, null)] // the tail
    public async Task Sends_exactly_the_requested_bytes(int size, int offset, long? count)
    {
        var bytes = RandomBytes(size);
        await File.WriteAllBytesAsync(_path, bytes);

        var sent = await SendAsync(offset, count);

        Assert.Equal(bytes.AsSpan(offset, (int)(count ?? size - offset)).ToArray(), sent);
    }

    [Fact]
    public async Task A_file_shorter_than_announced_fails_rather_than_sending_fewer_bytes()
    {
        await File.WriteAllBytesAsync(_path, RandomBytes(1000));

        await Assert.ThrowsAsync<IOException>(() => SendAsync(0, 2000));
    }

    private async Task<byte[]> SendAsync(long offset, long? count)
    {
        var body = new PipeResponseBody();
        var reading = body.ReadAllAsync();
        try
        {
            await new FileBodyFeature(body).SendFileAsync(_path, offset, count, CancellationToken.None);
        }
        finally
        {
            await body.CompleteAsync();
        }

        return await reading;
    }

    private static byte[] RandomBytes(int size)
    {
        var bytes = new byte[size];
        new Random(size).NextBytes(bytes);
        return bytes;
    }
}
