using PypiLocal.AppHost.Hosting;
using PypiLocal.AppHost.Orchestration;

namespace PypiLocal.AppHost.Tests;

public sealed class RunEnvironmentTests
{
    private static (DistributedApplicationBuilder Builder, ProjectResource Api, RedisResource Cache, MinioContainerResource Storage) Started()
    {
        var builder = TestModel.Create();
        var cache = builder.Resources.OfType<RedisResource>().Single();
        var storage = builder.Resources.OfType<MinioContainerResource>().Single();
        cache.PasswordParameter.SetValue("cachepw");
        storage.RootPassword.SetValue("storagepw");
        (cache.GetEndpoint("tcp").AllocatedHost, cache.GetEndpoint("tcp").AllocatedPort) = ("127.0.0.1", 6400);
        (storage.GetEndpoint("http").AllocatedHost, storage.GetEndpoint("http").AllocatedPort) = ("127.0.0.1", 9100);
        return (builder, builder.Resources.OfType<ProjectResource>().Single(), cache, storage);
    }

    [Fact]
    public void Replica_gets_connection_strings_urls_and_otel_identity_as_Aspire_run_mode()
    {
        var (_, api, _, _) = Started();

        var env = RunEnvironment.ForReplica(api, "ab12cd34", 41000, new HashSet<string> { "cache", "storage" }, _ => null);

        Assert.Equal("127.0.0.1:6400,password=cachepw", env["ConnectionStrings__cache"]);
        Assert.Equal("Endpoint=http://127.0.0.1:9100;AccessKey=minioadmin;SecretKey=storagepw", env["ConnectionStrings__storage"]);
        Assert.Equal("http://localhost:41000", env["ASPNETCORE_URLS"]);
        Assert.Equal("api", env["OTEL_SERVICE_NAME"]);
        Assert.Equal("service.instance.id=ab12cd34", env["OTEL_RESOURCE_ATTRIBUTES"]);
        Assert.Equal("redis://:cachepw@127.0.0.1:6400", env["CACHE_URI"]);
        Assert.Equal("9100", env["STORAGE_PORT"]);
        // Run mode: no collector configured means no exporter, and no forwarded headers (the proxy adds none).
        Assert.False(env.ContainsKey("OTEL_EXPORTER_OTLP_ENDPOINT"));
        Assert.False(env.ContainsKey("ASPNETCORE_FORWARDEDHEADERS_ENABLED"));
        Assert.False(env.ContainsKey("HTTP_PORTS"));
    }

    [Fact]
    public void Dashboard_endpoint_turns_on_OTLP()
    {
        var (_, api, _, _) = Started();

        var env = RunEnvironment.ForReplica(api, "ab12cd34", 41000, new HashSet<string>(),
            name => name == "ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL" ? "http://localhost:18889" : null);

        Assert.Equal("http://localhost:18889", env["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("grpc", env["OTEL_EXPORTER_OTLP_PROTOCOL"]);
    }

    [Fact]
    public void Unavailable_resources_are_not_referenced()
    {
        var (_, api, _, _) = Started();

        var env = RunEnvironment.ForReplica(api, "ab12cd34", 41000, new HashSet<string> { "cache" }, _ => null);

        Assert.True(env.ContainsKey("ConnectionStrings__cache"));
        Assert.DoesNotContain(env.Keys, k => k == "ConnectionStrings__storage" || k.StartsWith("STORAGE_", StringComparison.Ordinal));
    }

    [Fact]
    public void A_given_connection_string_is_passed_through_verbatim()
    {
        var builder = TestModel.Create("--cache-connection", "redis.internal:6380,password=x,ssl=true");
        var api = builder.Resources.OfType<ProjectResource>().Single();

        var env = RunEnvironment.ForReplica(api, "ab12cd34", 41000, new HashSet<string> { "cache" }, _ => null);

        Assert.Equal("redis.internal:6380,password=x,ssl=true", env["ConnectionStrings__cache"]);
        Assert.False(env.ContainsKey("CACHE_HOST"));
    }

    [Fact]
    public void Replica_count_comes_from_the_command_line()
    {
        Assert.Equal(3, TestModel.Create().Resources.OfType<ProjectResource>().Single().Replicas);
        Assert.Equal(5, TestModel.Create("--replicas", "5").Resources.OfType<ProjectResource>().Single().Replicas);
    }

    [Fact]
    public void Passwords_option_reaches_every_replica_as_Auth__PasswordsFile()
    {
        var api = TestModel.Create("--passwords", "/etc/pypilocal/htpasswd").Resources.OfType<ProjectResource>().Single();

        var env = RunEnvironment.ForReplica(api, "ab12cd34", 41000, new HashSet<string>(), _ => null);

        Assert.Equal("/etc/pypilocal/htpasswd", env["Auth__PasswordsFile"]);
    }
}
