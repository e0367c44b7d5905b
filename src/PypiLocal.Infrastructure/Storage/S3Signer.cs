using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PypiLocal.Infrastructure.Storage;

/// <summary>
/// AWS Signature Version 4 for S3: request headers (payload unsigned) and presigned query URLs at a chosen
/// signing time, which the fixed presign windows need and the SDKs do not expose on every path.
/// </summary>
internal sealed class S3Signer(string accessKey, string secretKey, string region)
{
    public const string UnsignedPayload = "UNSIGNED-PAYLOAD";
    private const string Algorithm = "AWS4-HMAC-SHA256";
    private const string Service = "s3";

    /// <summary>Adds x-amz-date, x-amz-content-sha256 and Authorization; signs host and the x-amz-* headers.</summary>
    public void Sign(HttpRequestMessage request, DateTimeOffset now)
    {
        var uri = request.RequestUri!;
        var amzDate = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        request.Headers.Remove("x-amz-date");
        request.Headers.Remove("x-amz-content-sha256");
        request.Headers.TryAddWithoutValidation("x-amz-date", amzDate);
        request.Headers.TryAddWithoutValidation("x-amz-content-sha256", UnsignedPayload);

        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["host"] = HostHeader(uri) };
        foreach (var (name, values) in request.Headers)
        {
            var lower = name.ToLowerInvariant();
            if (lower.StartsWith("x-amz-", StringComparison.Ordinal))
            {
                headers[lower] = string.Join(',', values.Select(v => v.Trim()));
            }
        }

        var signedHeaders = string.Join(';', headers.Keys);
        var canonicalHeaders = string.Concat(headers.Select(h => $"{h.Key}:{h.Value}\n"));
        var canonicalRequest = $"{request.Method.Method}\n{CanonicalPath(uri)}\n{CanonicalQuery(uri)}\n{canonicalHeaders}\n{signedHeaders}\n{UnsignedPayload}";
        var scope = Scope(now);
        var signature = Signature(now, StringToSign(amzDate, scope, canonicalRequest));
        request.Headers.TryAddWithoutValidation(
            "Authorization",
            $"{Algorithm} Credential={accessKey}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}");
    }

    /// <summary>A presigned GET URL for <paramref name="uri"/> signed at <paramref name="signingTime"/>.</summary>
    public Uri Presign(Uri uri, DateTimeOffset signingTime, TimeSpan expires)
    {
        var amzDate = signingTime.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var scope = Scope(signingTime);
        var query = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["X-Amz-Algorithm"] = Algorithm,
            ["X-Amz-Credential"] = $"{accessKey}/{scope}",
            ["X-Amz-Date"] = amzDate,
            ["X-Amz-Expires"] = ((long)expires.TotalSeconds).ToString(CultureInfo.InvariantCulture),
            ["X-Amz-SignedHeaders"] = "host",
        };
        var canonicalQuery = string.Join('&', query.Select(p => $"{Encode(p.Key, true)}={Encode(p.Value, true)}"));
        var canonicalRequest = $"GET\n{CanonicalPath(uri)}\n{canonicalQuery}\nhost:{HostHeader(uri)}\n\nhost\n{UnsignedPayload}";
        var signature = Signature(signingTime, StringToSign(amzDate, scope, canonicalRequest));
        return new Uri($"{uri.GetLeftPart(UriPartial.Path)}?{canonicalQuery}&X-Amz-Signature={signature}");
    }

    /// <summary>SigV4 URI encoding: every byte but the unreserved set as %XX (uppercase); '/' kept unless asked.</summary>
    public static string Encode(string value, bool encodeSlash)
    {
        var builder = new StringBuilder(value.Length * 2);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' || (c == '/' && !encodeSlash))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static string HostHeader(Uri uri) => uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";

    // Request URIs are built already encoded with Encode, so the escaped path is the canonical one.
    private static string CanonicalPath(Uri uri) => uri.AbsolutePath.Length == 0 ? "/" : uri.AbsolutePath;

    private static string CanonicalQuery(Uri uri)
    {
        var query = uri.Query.TrimStart('?');
        if (query.Length == 0)
        {
            return "";
        }

        return string.Join('&', query.Split('&')
            .Select(p => p.Split('=', 2))
            .Select(p => (Key: Encode(Uri.UnescapeDataString(p[0]), true), Value: Encode(p.Length > 1 ? Uri.UnescapeDataString(p[1]) : "", true)))
            .OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => $"{p.Key}={p.Value}"));
    }

    private string Scope(DateTimeOffset time) =>
        $"{time.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}/{region}/{Service}/aws4_request";

    private static string StringToSign(string amzDate, string scope, string canonicalRequest) =>
        $"{Algorithm}\n{amzDate}\n{scope}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";

    private string Signature(DateTimeOffset time, string stringToSign)
    {
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secretKey), Encoding.UTF8.GetBytes(time.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture)));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(Service));
        key = HMACSHA256.HashData(key, "aws4_request"u8);
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
    }
}
