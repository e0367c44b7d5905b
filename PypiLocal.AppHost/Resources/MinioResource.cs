namespace PypiLocal.AppHost.Resources;

/// <summary>The MinIO container (where a container engine runs, and in publish mode), as <c>storage</c>.</summary>
public sealed class MinioResource(string name, S3Credentials credentials) : ContainerResource(name), IResourceWithConnectionString
{
    public const string Image = "minio/minio";
    public const string Tag = "RELEASE.2025-09-07T16-13-09Z"; // pinned: the MinIO OSS repository is archived
    public const int ApiPort = 9000;
    public const int ConsolePort = 9001;

    public S3Credentials Credentials => credentials;

    public EndpointReference PrimaryEndpoint => field ??= new(this, "http");

    public ReferenceExpression ConnectionStringExpression => credentials.ConnectionString(PrimaryEndpoint);
}
