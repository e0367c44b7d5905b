using PypiLocal.EndToEndTests.Publishing;
using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.Support;

/// <summary>Debian's twine, run as a user runs it in CI: a private HOME, no keyring, no prompts.</summary>
public static class Twine
{
    public const string User = "alice";
    public const string Password = "secret";

    /// <summary>Uploads <paramref name="files"/> to <paramref name="url"/> as <see cref="User"/>.</summary>
    public static Task<ProcessResult> UploadAsync(string url, string home, params string[] files) =>
        UploadAsAsync(url, home, User, Password, files);

    /// <summary>Uploads <paramref name="files"/> to <paramref name="url"/> as <paramref name="user"/> (<c>__token__</c> for a token).</summary>
    public static Task<ProcessResult> UploadAsAsync(string url, string home, string user, string password, params string[] files) =>
        ProcessRunner.RunAsync(
            PublishingServer.Require("/usr/bin/twine", "twine"),
            ["upload", "--non-interactive", "--disable-progress-bar", "--repository-url", url, "-u", user, "-p", password, .. files],
            new Dictionary<string, string?> { ["HOME"] = home, ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring" },
            TimeSpan.FromMinutes(3));

    /// <summary>An htpasswd file that lets <see cref="User"/> in with <see cref="Password"/>.</summary>
    public static Task WritePasswordsAsync(string path) =>
        File.WriteAllTextAsync(path, $"{User}:{{SHA}}{Convert.ToBase64String(System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.UTF8.GetBytes(Password)))}\n");
}
