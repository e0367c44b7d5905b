namespace PypiLocal.AppHost.Resources;

/// <summary>
/// redis-server as a local process under DCP, for machines without a container engine. It offers what
/// Aspire's RedisResource offers its consumers, a connection string named after the resource
/// (<c>ConnectionStrings__cache</c>), so the api cannot tell the two apart. Loopback only, no persistence.
/// </summary>
public sealed class RedisServerResource(string name) : ExecutableResource(name, "redis-server", "."), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";

    public EndpointReference PrimaryEndpoint => field ??= new(this, EndpointName);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{PrimaryEndpoint.Property(EndpointProperty.HostAndPort)}");
}
