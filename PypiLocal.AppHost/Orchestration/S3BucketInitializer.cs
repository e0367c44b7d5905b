using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PypiLocal.AppHost.Orchestration;

/// <summary>
/// Creates the api's bucket on an S3 server the AppHost started itself, before the replicas start: their
/// /health reports a missing bucket as unhealthy, and an unhealthy replica gets no request that would create it.
/// One SigV4-signed PUT, so it works on MinIO as well as on moto.
/// </summary>
internal static class S3BucketInitializer
{
    private const string Region = "us-east-1";
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>True when the bucket exists afterwards (created now or already there).</summary>
    public static async Task<bool> EnsureBucketAsync(string endpoint, string accessKey, string secretKey, string bucket, CancellationToken cancellationToken)
    {
        var uri = new Uri($"{endpoint.TrimEnd('/')}/{bucket}");
        try
        {
            using var head = Signed(HttpMethod.Head, uri, accessKey, secretKey, DateTime.UtcNow);
            using (var exists = await Http.SendAsync(head, cancellationToken))
            {
                if (exists.IsSuccessStatusCode)
                {
                    return true;
                }
            }
            using var put = Signed(HttpMethod.Put, uri, accessKey, secretKey, DateTime.UtcNow);
            using var created = await Http.SendAsync(put, cancellationToken);
            return created.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>An AWS Signature Version 4 request with an empty body.</summary>
    internal static HttpRequestMessage Signed(HttpMethod method, Uri uri, string accessKey, string secretKey, DateTime now)
    {
        var amzDate = now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        var payloadHash = Hex(SHA256.HashData([]));
        var host = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";
        var canonicalRequest = string.Join('\n',
            method.Method, uri.AbsolutePath, "",
            $"host:{host}", $"x-amz-content-sha256:{payloadHash}", $"x-amz-date:{amzDate}", "",
            "host;x-amz-content-sha256;x-amz-date", payloadHash);
        var scope = $"{date}/{Region}/s3/aws4_request";
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";
        var key = Encoding.UTF8.GetBytes($"AWS4{secretKey}");
        foreach (var part in new[] { date, Region, "s3", "aws4_request" })
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        }
        var signature = Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));

        var request = new HttpRequestMessage(method, uri);
        request.Headers.TryAddWithoutValidation("x-amz-date", amzDate);
        request.Headers.TryAddWithoutValidation("x-amz-content-sha256", payloadHash);
        request.Headers.TryAddWithoutValidation("Authorization",
            $"AWS4-HMAC-SHA256 Credential={accessKey}/{scope}, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature={signature}");
        return request;
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
