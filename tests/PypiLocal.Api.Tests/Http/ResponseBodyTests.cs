using PypiLocal.Api.Http;
using PypiLocal.Api.Tests.Support;

namespace PypiLocal.Api.Tests.Http;

/// <summary>A body held in memory arrives whole and in order, whether it fits one of the server's buffers or not.</summary>
public sealed class ResponseBodyTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(4096)]
    [InlineData(4097)]
    [InlineData(130_000)]
    [InlineData(3_000_000)]
    public async Task Sends_exactly_the_bytes(int size)
    {
        var bytes = new byte[size];
        new Random(size).NextBytes(bytes);
        var body = new PipeResponseBody();
        var reading = body.ReadAllAsync();

        await ResponseBody.WriteAsync(body, bytes, CancellationToken.None);
        await body.CompleteAsync();

        Assert.Equal(bytes, await reading);
    }
}
