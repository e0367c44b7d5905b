using PypiLocal.Infrastructure.Storage;

namespace PypiLocal.Infrastructure.Tests.Storage;

public sealed class S3SignerTests
{
    [Fact]
    public void Presigns_the_example_from_the_AWS_SigV4_documentation()
    {
        // "Authenticating Requests: Using Query Parameters (AWS Signature Version 4)", example GET of test.txt.
        var signer = new S3Signer("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "us-east-1");

        var url = signer.Presign(
            new Uri("https://examplebucket.s3.amazonaws.com/test.txt"),
            new DateTimeOffset(2013, 5, 24, 0, 0, 0, TimeSpan.Zero),
            TimeSpan.FromSeconds(86400));

        Assert.Equal(
            "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
            + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
            + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
            url.AbsoluteUri);
    }

    [Fact]
    public void Signs_headers_the_same_whatever_the_query_order()
    {
        // Header signing uses UNSIGNED-PAYLOAD (the presign test above pins the HMAC chain to AWS's vector).
        var signer = new S3Signer("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "us-east-1");
        using var first = new HttpRequestMessage(HttpMethod.Get, "https://examplebucket.s3.amazonaws.com/test.txt?b=2&a=1");
        using var second = new HttpRequestMessage(HttpMethod.Get, "https://examplebucket.s3.amazonaws.com/test.txt?a=1&b=2");
        var now = new DateTimeOffset(2013, 5, 24, 0, 0, 0, TimeSpan.Zero);

        signer.Sign(first, now);
        signer.Sign(second, now);

        var authorization = first.Headers.GetValues("Authorization").Single();
        Assert.StartsWith(
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=",
            authorization,
            StringComparison.Ordinal);
        Assert.Equal(authorization, second.Headers.GetValues("Authorization").Single());
        Assert.Equal("20130524T000000Z", first.Headers.GetValues("x-amz-date").Single());
    }

    [Theory]
    [InlineData("files/demo/demo-1.0+local.tar.gz", false, "files/demo/demo-1.0%2Blocal.tar.gz")]
    [InlineData("a b/ü~", false, "a%20b/%C3%BC~")]
    [InlineData("a/b", true, "a%2Fb")]
    public void Encodes_as_SigV4_wants(string value, bool encodeSlash, string expected) =>
        Assert.Equal(expected, S3Signer.Encode(value, encodeSlash));
}
