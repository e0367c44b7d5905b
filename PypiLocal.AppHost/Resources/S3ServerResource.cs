namespace PypiLocal.AppHost.Resources;

/// <summary>
/// An S3 server as a local process under DCP, where no container engine runs: <c>minio server</c> when it is on
/// PATH, else <c>moto_server</c> (in memory). Same connection string as <see cref="MinioResource"/>.
/// </summary>
public sealed class S3ServerResource(string name, string command, S3Credentials credentials)
    : ExecutableResource(name, command, "."), IResourceWithConnectionString
{
    public S3Credentials Credentials => credentials;

    public EndpointReference PrimaryEndpoint => field ??= new(this, "http");

    public ReferenceExpression ConnectionStringExpression => credentials.ConnectionString(PrimaryEndpoint);
}
