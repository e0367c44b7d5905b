using System.CommandLine;
using PypiLocal.Api.Commands;

namespace PypiLocal.Api.Tests.Commands;

/// <summary>`pypilocal` with no command serves; a word it does not know is refused rather than served as configuration.</summary>
public sealed class RootCommandTests
{
    [Theory]
    [InlineData("sevre")]
    [InlineData("tokens list")]
    [InlineData("/no/such/packages")]
    [InlineData("--urls http://127.0.0.1:1 sevre")]
    public async Task A_mistyped_command_or_missing_folder_is_refused_by_name(string line)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var stray = line.Split(' ')[^1] == "list" ? "tokens" : line.Split(' ')[^1];

        var exitCode = await PypiLocalCommandLine.Parse(line.Split(' ')).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });

        Assert.Equal(2, exitCode);
        Assert.Contains($"'{stray}' is not a command", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("serve, run", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--urls http://127.0.0.1:1")]
    [InlineData("--Storage:RescanInterval=00:00:02")]
    [InlineData("Storage:Root=/srv/packages --Cache:PageTtl 00:01:00")]
    public void Host_configuration_is_not_a_stray_word(string line) =>
        Assert.Null(PypiLocalCommandLine.StrayWord(line.Split(' ')));
}
