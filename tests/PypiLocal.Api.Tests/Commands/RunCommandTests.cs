using PypiLocal.Api.Commands;
using PypiLocal.Api.Tests.Support;
using PypiLocal.Testing;

namespace PypiLocal.Api.Tests.Commands;

/// <summary>`pypilocal run` reads a pypiserver command line as pypiserver does, and refuses what pypiserver refuses, by name.</summary>
public sealed class RunCommandTests : IDisposable
{
    private static readonly HashSet<string> Commands = ["serve", "run", "token", "import"];
    private readonly TempFolder _packages = new("pypilocal-run");

    public void Dispose() => _packages.Dispose();

    [Theory]
    [InlineData("-v --hash-algo md5 run -p 8080 packages", "run -p 8080 packages --hash-algo md5 --pypiserver-verbosity 1")]
    [InlineData("run -vv -P . -a . packages", "run -P . -a . packages --pypiserver-verbosity 2")]
    [InlineData("run --verbose -v packages", "run packages --pypiserver-verbosity 2")]
    [InlineData("--log-stream=stderr run packages", "run packages --log-stream=stderr")]
    [InlineData("-P . -a . packages", "run -P . -a . packages")]
    [InlineData("serve packages --port 1", "serve packages --port 1")]
    [InlineData("token list", "token list")]
    [InlineData("--Storage:RescanInterval=00:00:02", "--Storage:RescanInterval=00:00:02")]
    public void Pypiserver_forms_become_run_and_everything_else_is_left_alone(string line, string expected)
    {
        using var warnings = new StringWriter();

        var normalized = PypiserverArguments.Normalize(line.Split(' '), Commands, warnings);

        Assert.Equal(expected, string.Join(' ', normalized));
    }

    [Fact]
    public void The_form_without_run_warns_as_pypiserver_does()
    {
        using var warnings = new StringWriter();

        PypiserverArguments.Normalize(["-p", "8080", "packages"], Commands, warnings);

        Assert.Contains("deprecated arguments", warnings.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--frobnicate", "unrecognized option '--frobnicate'")]
    [InlineData("-a . -P htpasswd", "When auth-ops-list is empty (-a=.), password-file (-P='htpasswd') must also be empty ('.')!")]
    [InlineData("-P .", "password-file (-P='.') must also be empty")]
    [InlineData("-a update,delete", "valid values are download, list and update")]
    [InlineData("--hash-algo whirlpool", "Hash algorithm 'whirlpool' is not available")]
    [InlineData("--log-stream syslog", "--log-stream: 'syslog' is not one of stdout, stderr, none")]
    [InlineData("--backend s3", "--backend: 's3' is not one of auto, simple-dir, cached-dir")]
    [InlineData("--welcome /no/such/welcome.html", "--welcome: no such file")]
    public async Task What_pypiserver_refuses_is_refused_with_the_option_named(string options, string message)
    {
        var (exitCode, _, error) = await CommandRunner.RunAsync(RunCommand.Create(), ["run", .. options.Split(' '), _packages.Path]);

        Assert.Equal(2, exitCode);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_package_directory_that_cannot_be_read_is_refused_at_start()
    {
        var (exitCode, _, error) = await CommandRunner.RunAsync(RunCommand.Create(), "run", "-P", ".", "-a", ".", _packages.Combine("missing"));

        Assert.Equal(2, exitCode);
        Assert.Contains("while trying to access package directory", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_prints_the_version()
    {
        var (exitCode, output, _) = await CommandRunner.RunAsync(RunCommand.Create(), "run", "--version");

        Assert.Equal(0, exitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", output);
    }
}
