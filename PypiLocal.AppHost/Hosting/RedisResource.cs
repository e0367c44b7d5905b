namespace PypiLocal.AppHost.Hosting;

/// <summary>Redis as Aspire.Hosting.Redis models it: password parameter, tcp endpoint 6379, password-protected server.</summary>
internal sealed class RedisResource : ContainerResource, IResourceWithConnectionString
{
    public const int DefaultPort = 6379;

    public RedisResource(string name, ParameterResource password) : base(name, "docker.io/library/redis", "8.2")
    {
        PasswordParameter = password;
        Entrypoint = "/bin/sh";
        Args.AddRange(["-c", "redis-server --requirepass $REDIS_PASSWORD"]);
        Endpoints.Add(new EndpointAnnotation("tcp", "tcp", "tcp", DefaultPort));
        SetEnvironment("REDIS_PASSWORD", password);
    }

    public ParameterResource PasswordParameter { get; }

    public string? ExternalConnectionString { get; set; }

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"{Property("tcp", EndpointProperty.Host)}:{Property("tcp", EndpointProperty.Port)},password={PasswordParameter}");

    public IEnumerable<KeyValuePair<string, IValueProvider>> ConnectionProperties =>
    [
        new("HOST", Property("tcp", EndpointProperty.Host)),
        new("PORT", Property("tcp", EndpointProperty.Port)),
        new("PASSWORD", PasswordParameter),
        new("URI", ReferenceExpression.Create(
            $"redis://:{PasswordParameter.UriEncoded()}@{Property("tcp", EndpointProperty.Host)}:{Property("tcp", EndpointProperty.Port)}")),
    ];
}
