namespace PypiLocal.AppHost.Hosting;

/// <summary>MinIO as CommunityToolkit.Aspire.Hosting.Minio models it: S3 on 9000, console on 9001, root user and password.</summary>
internal sealed class MinioContainerResource : ContainerResource, IResourceWithConnectionString
{
    public const int DefaultApiPort = 9000;
    public const int DefaultConsolePort = 9001;

    public MinioContainerResource(string name, ParameterResource rootUser, ParameterResource rootPassword)
        : base(name, "docker.io/minio/minio", "RELEASE.2025-09-07T16-13-09Z")
    {
        RootUser = rootUser;
        RootPassword = rootPassword;
        Args.AddRange(["server", "/data", "--console-address", $":{DefaultConsolePort}"]);
        Endpoints.Add(new EndpointAnnotation("http", "http", "http", DefaultApiPort));
        Endpoints.Add(new EndpointAnnotation("console", "http", "http", DefaultConsolePort));
        SetEnvironment("MINIO_ROOT_USER", rootUser);
        SetEnvironment("MINIO_ROOT_PASSWORD", rootPassword);
    }

    public ParameterResource RootUser { get; }
    public ParameterResource RootPassword { get; }

    public string? ExternalConnectionString { get; set; }

    /// <summary>The api's bucket (it creates it when missing); Kubernetes output also makes it at MinIO start.</summary>
    public List<string> Buckets { get; } = [];

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Endpoint=http://{Property("http", EndpointProperty.Host)}:{Property("http", EndpointProperty.Port)};AccessKey={RootUser};SecretKey={RootPassword}");

    public IEnumerable<KeyValuePair<string, IValueProvider>> ConnectionProperties =>
    [
        new("HOST", Property("http", EndpointProperty.Host)),
        new("PORT", Property("http", EndpointProperty.Port)),
        new("ACCESSKEY", RootUser),
        new("SECRETKEY", RootPassword),
        new("URI", ReferenceExpression.Create($"http://{Property("http", EndpointProperty.Host)}:{Property("http", EndpointProperty.Port)}")),
    ];
}
