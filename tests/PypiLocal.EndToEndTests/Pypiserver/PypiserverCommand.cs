using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.Pypiserver;

/// <summary>
/// A pypiserver command line as its users have it in scripts and compose files, run with only the program name changed:
/// <c>pypi-server run -p {port} -P . -a . {packages}</c> becomes <c>pypilocal run -p … -P . -a . …</c>, nothing else.
/// </summary>
public static class PypiserverCommand
{
    public const string User = "alice";
    public const string Password = "secret";

    /// <summary>Starts the line after replacing <c>pypi-server</c> by <c>pypilocal</c> and filling in {port} and the named values.</summary>
    public static Task<PypiLocalServer> StartAsync(
        string pypiserverLine,
        IReadOnlyDictionary<string, string> values,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? workingDirectory = null,
        IReadOnlyList<string>? launcher = null)
    {
        var port = FreePort.Next();
        var words = pypiserverLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("pypi-server", words[0]);
        var arguments = words[1..].Select(w => Fill(w, port, values)).ToList();
        return PypiLocalServer.StartCommandAsync(arguments, port, environment, workingDirectory, launcher);
    }

    /// <summary>An htpasswd file holding <see cref="User"/>, as <c>htpasswd -s</c> writes it.</summary>
    public static string WritePasswords(string folder)
    {
        var path = Path.Combine(folder, "htpasswd");
        File.WriteAllText(path, $"{User}:{{SHA}}{Convert.ToBase64String(SHA1.HashData(Encoding.UTF8.GetBytes(Password)))}\n");
        return path;
    }

    /// <summary>Debian's twine uploading <paramref name="files"/> to <paramref name="url"/>, with a private HOME and no keyring.</summary>
    public static Task<ProcessResult> TwineAsync(string url, string user, string password, string home, params string[] files) =>
        ProcessRunner.RunAsync(
            Publishing.PublishingServer.Require("/usr/bin/twine", "twine"),
            ["upload", "--non-interactive", "--disable-progress-bar", "--repository-url", url, "-u", user, "-p", password, .. files],
            new Dictionary<string, string?>
            {
                ["HOME"] = home,
                ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring",
                ["NO_COLOR"] = "1",
                ["TERM"] = "dumb",
            },
            TimeSpan.FromMinutes(2));

    /// <summary>The value of a counter or gauge on <c>/metrics</c> (Prometheus text), or null when it is not there.</summary>
    public static async Task<double?> MetricAsync(PypiLocalServer server, string name)
    {
        using var http = new HttpClient();
        var text = await http.GetStringAsync(server.BaseUrl + "/metrics");
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal));
        return line is null ? null : double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
    }

    /// <summary>Waits (bounded) until every file's facts are known: the background hashing has nothing left.</summary>
    public static async Task WaitUntilIndexedAsync(PypiLocalServer server, TimeSpan timeout)
    {
        Assert.True(
            await Eventually.TrueAsync(async () => await MetricAsync(server, "pypilocal_folder_files_pending") is 0, timeout),
            $"The server still had files to hash after {timeout}.");
    }

    private static string Fill(string word, int port, IReadOnlyDictionary<string, string> values)
    {
        word = word.Replace("{port}", port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        foreach (var (name, value) in values)
        {
            word = word.Replace("{" + name + "}", value, StringComparison.Ordinal);
        }

        return word;
    }
}
