using PypiLocal.AppHost.Hosting;
using PypiLocal.AppHost.Orchestration;

namespace PypiLocal.AppHost.Tests;

public sealed class BackingServiceResolverTests
{
    private static int _port = 20000;

    private static (RedisResource Cache, MinioContainerResource Storage) Model(params string[] args)
    {
        var builder = TestModel.Create(args);
        return (builder.Resources.OfType<RedisResource>().Single(), builder.Resources.OfType<MinioContainerResource>().Single());
    }

    private static BackingServiceResolver Resolver(string[] onPath, string? runtime = null) =>
        new(name => onPath.Contains(name) ? $"/bin/{name}" : null, () => runtime, Path.GetTempPath());

    [Fact]
    public void A_given_endpoint_wins_and_starts_nothing()
    {
        var (cache, storage) = Model("--cache-connection", "10.0.0.5:6379,password=p", "--storage-connection", "Endpoint=http://10.0.0.6:9000;AccessKey=a;SecretKey=b");
        var resolver = Resolver(["redis-server", "minio"], "/bin/docker");

        var redis = resolver.ResolveRedis(cache, () => _port++);
        var s3 = resolver.ResolveStorage(storage, () => _port++);

        Assert.Equal((LaunchKind.External, null), (redis.Kind, redis.Spec));
        Assert.Equal("redis://10.0.0.5:6379", redis.DisplayUrl);
        Assert.Equal((LaunchKind.External, null), (s3.Kind, s3.Spec));
        Assert.Equal("http://10.0.0.6:9000", s3.DisplayUrl);
    }

    [Fact]
    public void Native_redis_reads_its_password_from_stdin_not_the_command_line()
    {
        var (cache, _) = Model();
        cache.PasswordParameter.SetValue("s3cret");

        var launch = Resolver(["redis-server"]).ResolveRedis(cache, () => 6999);

        Assert.Equal(LaunchKind.Executable, launch.Kind);
        Assert.Equal(["-"], launch.Spec!.Args);
        Assert.Contains("requirepass s3cret\n", launch.Spec.StandardInput, StringComparison.Ordinal);
        Assert.Contains("port 6999\n", launch.Spec.StandardInput, StringComparison.Ordinal);
        Assert.Equal("127.0.0.1:6999,password=s3cret", cache.ConnectionStringExpression.GetValue());
    }

    [Fact]
    public void Minio_is_preferred_to_moto_and_moto_to_a_container()
    {
        Assert.Equal("minio server", Resolver(["minio", "moto_server"], "/bin/docker").ResolveStorage(Model().Storage, () => _port++).Description);
        Assert.StartsWith("moto_server", Resolver(["moto_server"], "/bin/docker").ResolveStorage(Model().Storage, () => _port++).Description, StringComparison.Ordinal);
        Assert.Equal(LaunchKind.Container, Resolver([], "/bin/docker").ResolveStorage(Model().Storage, () => _port++).Kind);
        Assert.Equal(LaunchKind.Unavailable, Resolver([]).ResolveStorage(Model().Storage, () => _port++).Kind);
        Assert.Equal(LaunchKind.Unavailable, Resolver([]).ResolveRedis(Model().Cache, () => _port++).Kind);
    }

    [Fact]
    public void Container_run_uses_the_manifest_image_and_passes_secrets_by_name()
    {
        var (cache, _) = Model();
        cache.PasswordParameter.SetValue("s3cret");

        var launch = Resolver([], "/usr/bin/podman").ResolveRedis(cache, () => 7001);
        var args = launch.Spec!.Args;

        Assert.Equal("/usr/bin/podman", launch.Spec.Command);
        Assert.Contains("docker.io/library/redis:8.2", args);
        Assert.Contains("127.0.0.1:7001:6379", args);
        Assert.Equal("REDIS_PASSWORD", args[args.ToList().IndexOf("-e") + 1]);
        Assert.DoesNotContain(args, a => a.Contains("s3cret", StringComparison.Ordinal));
        Assert.Equal("s3cret", launch.Spec.Environment["REDIS_PASSWORD"]);
        Assert.Equal(["-c", "redis-server --requirepass $REDIS_PASSWORD"], args.TakeLast(2));
    }

    [Theory]
    [InlineData("localhost:6379,password=a", "localhost", 6379, "a")]
    [InlineData("cache:6380", "cache", 6380, null)]
    [InlineData("abortConnect=false,redis", "redis", 6379, null)]
    public void Redis_connection_strings_parse_as_StackExchange_Redis_reads_them(string value, string host, int port, string? password) =>
        Assert.Equal((host, port, password), BackingServiceResolver.ParseRedis(value));

    [Theory]
    [InlineData("Endpoint=http://s3:9000;AccessKey=a;SecretKey=b", "http://s3:9000")]
    [InlineData("http://minio.local:9000/", "http://minio.local:9000")]
    public void S3_connection_strings_parse_as_the_MinIO_client_reads_them(string value, string endpoint) =>
        Assert.Equal(endpoint, BackingServiceResolver.ParseS3Endpoint(value));
}
