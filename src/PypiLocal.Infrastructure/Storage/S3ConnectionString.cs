using System.Data.Common;

namespace PypiLocal.Infrastructure.Storage;

/// <summary>
/// Reads <c>ConnectionStrings:storage</c> as Aspire's MinIO client does: <c>Endpoint=…;AccessKey=…;SecretKey=…</c>,
/// or a bare URI (credentials may ride in its user info: <c>http://key:secret@host:9000</c>).
/// </summary>
internal static class S3ConnectionString
{
    public static void Apply(string connectionString, S3StorageOptions options)
    {
        if (Uri.TryCreate(connectionString, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            if (uri.UserInfo.Split(':', 2) is [{ Length: > 0 } user, var password])
            {
                options.AccessKey = Uri.UnescapeDataString(user);
                options.SecretKey = Uri.UnescapeDataString(password);
            }

            options.Endpoint = new UriBuilder(uri) { UserName = "", Password = "" }.Uri;
            return;
        }

        var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (builder.TryGetValue("Endpoint", out var endpoint) && Uri.TryCreate(endpoint?.ToString(), UriKind.Absolute, out var parsed))
        {
            options.Endpoint = parsed;
        }

        if (builder.TryGetValue("AccessKey", out var accessKey))
        {
            options.AccessKey = accessKey?.ToString();
        }

        if (builder.TryGetValue("SecretKey", out var secretKey))
        {
            options.SecretKey = secretKey?.ToString();
        }
    }
}
