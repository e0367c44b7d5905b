namespace PypiLocal.AppHost.Resources;

/// <summary>
/// The object store's root credentials: two generated secret parameters (<c>storage-user</c>,
/// <c>storage-password</c>), never a fixed value. Letters and digits only: the connection string is split on ';'.
/// Kept in the AppHost's user secrets in run mode, so that a MinIO data folder outlives a restart.
/// </summary>
public sealed record S3Credentials(ParameterResource User, ParameterResource Password)
{
    public static S3Credentials Generate(IDistributedApplicationBuilder builder, string name) => new(
        builder.AddParameter($"{name}-user", new GenerateParameterDefault { MinLength = 16, Upper = false, Special = false }, secret: true, persist: true).Resource,
        builder.AddParameter($"{name}-password", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true).Resource);

    /// <summary>The shape the api (and Aspire's MinIO client) reads: <c>Endpoint=http://host:port;AccessKey=…;SecretKey=…</c>.</summary>
    public ReferenceExpression ConnectionString(EndpointReference endpoint) =>
        ReferenceExpression.Create($"Endpoint=http://{endpoint.Property(EndpointProperty.HostAndPort)};AccessKey={User};SecretKey={Password}");
}
