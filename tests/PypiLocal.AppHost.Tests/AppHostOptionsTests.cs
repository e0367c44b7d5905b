using PypiLocal.AppHost.Hosting;

namespace PypiLocal.AppHost.Tests;

public sealed class AppHostOptionsTests
{
    [Fact]
    public void Defaults_run_three_replicas_on_port_5080()
    {
        var options = AppHostOptions.Parse([], _ => null);

        Assert.Equal((3, 5080, false), (options.Replicas, options.Port, options.IsPublishMode));
    }

    [Fact]
    public void Options_and_environment_connection_strings_are_read()
    {
        var options = AppHostOptions.Parse(["--replicas=2", "--port", "6000", "--storage-connection", "Endpoint=http://s3:9000"],
            name => name == "ConnectionStrings__cache" ? "redis:6379" : null);

        Assert.Equal((2, 6000, "redis:6379", "Endpoint=http://s3:9000"),
            (options.Replicas, options.Port, options.CacheConnection, options.StorageConnection));
    }

    [Theory]
    [InlineData("--replicas", "0")]
    [InlineData("--port", "x")]
    [InlineData("--publisher", "helm")]
    [InlineData("--bogus", "1")]
    public void Bad_options_say_what_is_wrong(string name, string value)
    {
        var error = Assert.Throws<ArgumentException>(() => AppHostOptions.Parse([name, value, "--output-path", "."], _ => null));

        Assert.Contains(name == "--publisher" ? value : name, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_publisher_needs_an_output_path() =>
        Assert.Throws<ArgumentException>(() => AppHostOptions.Parse(["--publisher", "manifest"], _ => null));
}
