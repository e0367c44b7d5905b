using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PypiLocal.Core.Tests.Support;
using PypiLocal.Core.Upstream;

namespace PypiLocal.Core.Tests.Upstream;

public sealed class UpstreamOptionsTests
{
    private static UpstreamOptions Bind(Dictionary<string, string?> settings) =>
        PageServices.Build(new InMemoryRepository(), settings: settings).GetRequiredService<IOptions<UpstreamOptions>>().Value;

    [Fact]
    public void Settings_bind_as_environment_variables_and_the_command_line_give_them()
    {
        var options = Bind(new()
        {
            ["Upstream:Indexes:0:Url"] = "https://pypi.org/simple",
            ["Upstream:Indexes:1:Url"] = "https://mirror.example/simple/",
            ["Upstream:Indexes:1:Name"] = "mirror",
            ["Upstream:Deny:0"] = "acme-*",
            ["Upstream:Policy:MinAge"] = "7.00:00:00",
            ["Upstream:Policy:NotNewerThan"] = "2026-01-01T00:00:00Z",
            ["Upstream:Policy:UnknownUploadTime"] = "Allow",
            ["Upstream:Projects:Fresh_Lib:MinAge"] = "1.00:00:00",
            ["Upstream:Projects:mine:Merge"] = "true",
        });

        var indexes = UpstreamIndex.From(options);
        Assert.Equal([("pypi.org", "https://pypi.org/simple/"), ("mirror", "https://mirror.example/simple/")], indexes.Select(i => (i.Name, i.Url.AbsoluteUri)));
        Assert.Equal(TimeSpan.FromDays(7), options.Policy.MinAge);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), options.Policy.NotNewerThan);
        Assert.Equal(UnknownUploadTime.Allow, options.Policy.UnknownUploadTime);
        Assert.Equal(TimeSpan.FromDays(1), options.Projects["fresh_lib"].MinAge);
        Assert.True(new ReleasePolicy(options).Merges("mine"));
    }

    [Fact]
    public void Credentials_in_the_url_as_pip_takes_them_leave_the_url_and_go_to_the_index_host_only()
    {
        var index = Assert.Single(UpstreamIndex.From(Bind(new() { ["Upstream:Indexes:0:Url"] = "https://ci%40acme:s%3Acret@pkgs.acme.test/simple" })));

        Assert.Equal("https://pkgs.acme.test/simple/", index.Url.AbsoluteUri);
        Assert.Equal(("ci@acme", "s:cret"), (index.Username, index.Password));
        Assert.True(index.SendsCredentialsTo(new Uri("https://pkgs.acme.test/files/a/a-1.0-py3-none-any.whl")));
        Assert.False(index.SendsCredentialsTo(new Uri("https://cdn.acme.test/files/a/a-1.0-py3-none-any.whl")));
        Assert.False(index.SendsCredentialsTo(new Uri("http://pkgs.acme.test/simple/a/")));
    }

    [Fact]
    public void Bad_values_stop_the_start_with_their_keys()
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind(new()
        {
            ["Upstream:Indexes:0:Url"] = "ftp://example.com/simple/",
            ["Upstream:Deny:0"] = "acme/*",
            ["Upstream:Projects:-bad-:Bypass"] = "true",
            ["Upstream:Policy:MinAge"] = "-1.00:00:00",
        }));

        Assert.Contains("Upstream:Indexes:0:Url", failure.Message, StringComparison.Ordinal);
        Assert.Contains("'acme/*'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Upstream:Projects:-bad-", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Upstream:Policy:MinAge", failure.Message, StringComparison.Ordinal);
    }
}
