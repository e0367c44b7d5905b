using PypiLocal.Core.Hashing;
using PypiLocal.Core.Publishing;

namespace PypiLocal.Core.Tests.Hashing;

/// <summary>The BLAKE2b-256 digests twine and uv send, as the file digester computes them.</summary>
public sealed class FileDigesterTests
{
    // Expected values from Python's hashlib.blake2b(data, digest_size=32).
    [Theory]
    [InlineData(0, "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8")]
    [InlineData(128, "c3582f71ebb2be66fa5dd750f80baae97554f3b015663c8be377cfcb2488c1d1")]
    [InlineData(256, "582f782226018ec33076bd8d1c42413530ac7e1126260ffc0f306ba3befc3f24")]
    [InlineData(100000, "916cfaa800ee55811e82095babeb88ea29c9ef8a36e8d7e20c7b772c344c9e1c")]
    public void Matches_hashlib_for_pattern_data(int length, string expected)
    {
        var data = Enumerable.Range(0, length).Select(i => (byte)(i % 251)).ToArray();

        Assert.Equal(expected, Convert.ToHexStringLower(FileDigester.Blake2b256(data)));
    }

    [Fact]
    public void Matches_hashlib_for_abc() =>
        Assert.Equal("bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319", Convert.ToHexStringLower(FileDigester.Blake2b256("abc"u8)));

    [Theory]
    [InlineData(1)]
    [InlineData(127)]
    [InlineData(128)]
    [InlineData(129)]
    [InlineData(4096)]
    public void Gives_the_same_digest_whatever_the_chunk_size(int chunk)
    {
        var data = Enumerable.Range(0, 100000).Select(i => (byte)(i % 251)).ToArray();
        using var digester = new FileDigester();
        for (var offset = 0; offset < data.Length; offset += chunk)
        {
            digester.Append(data.AsSpan(offset, Math.Min(chunk, data.Length - offset)));
        }

        Assert.Equal("916cfaa800ee55811e82095babeb88ea29c9ef8a36e8d7e20c7b772c344c9e1c", digester.Finish().Blake2b256);
    }
}
