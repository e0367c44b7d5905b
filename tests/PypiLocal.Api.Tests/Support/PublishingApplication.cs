using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using PypiLocal.Core.Auth;
using PypiLocal.Testing;

namespace PypiLocal.Api.Tests.Support;

/// <summary>
/// The api on a test host with accounts: an htpasswd file holding alice/secret, tokens in a private state directory, and the given
/// extra settings. Offers twine-shaped upload requests.
/// </summary>
public sealed class PublishingApplication : IDisposable
{
    public const string User = "alice";
    public const string Password = "secret";

    private readonly PypiLocalApplicationFactory _inner = new();
    private readonly TempFolder _secrets = new("pypilocal-api-auth");
    private readonly WebApplicationFactory<Program> _factory;

    public PublishingApplication(IReadOnlyDictionary<string, string>? settings = null)
    {
        var passwords = _secrets.Combine("htpasswd");
        File.WriteAllText(passwords, $"{User}:{{SHA}}{Convert.ToBase64String(SHA1.HashData(Encoding.UTF8.GetBytes(Password)))}\n");
        _factory = _inner.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Auth:PasswordsFile", passwords);
            builder.UseSetting("Storage:StateDirectory", _secrets.Combine("state"));
            builder.UseSetting("Publishing:StagingDirectory", StagingDirectory);
            foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            {
                builder.UseSetting(key, value);
            }
        });
    }

    public string Folder => _inner.Folder;

    public string StagingDirectory => _secrets.Combine("staging");

    public IServiceProvider Services => _factory.Services;

    public HttpClient CreateClient(string? user = User, string? password = Password)
    {
        var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (user is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        }

        return client;
    }

    /// <summary>A token that may upload to (and maintain) <paramref name="projects"/>, or every project when none are named.</summary>
    public async Task<string> CreateTokenAsync(params string[] projects) =>
        (await Services.GetRequiredService<TokenService>().CreateAsync(IndexUser.Operator, "ci", AccessRight.Maintain, projects, CancellationToken.None)).Secret;

    /// <summary>The multipart form twine 4 posts for a file, fields first and the file last as <c>content</c>.</summary>
    public static MultipartFormDataContent TwineForm(string path, string name, string version, Action<Dictionary<string, string>>? edit = null, bool fileContentType = true)
    {
        var bytes = File.ReadAllBytes(path);
        var filename = Path.GetFileName(path);
        var isWheel = filename.EndsWith(".whl", StringComparison.Ordinal);
        var fields = new Dictionary<string, string>
        {
            [":action"] = "file_upload",
            ["protocol_version"] = "1",
            ["metadata_version"] = "2.1",
            ["name"] = name,
            ["version"] = version,
            ["filetype"] = isWheel ? "bdist_wheel" : "sdist",
            ["pyversion"] = isWheel ? "py3" : "source",
            ["md5_digest"] = Convert.ToHexStringLower(MD5.HashData(bytes)),
            ["sha256_digest"] = Convert.ToHexStringLower(SHA256.HashData(bytes)),
        };
        edit?.Invoke(fields);
        var form = new MultipartFormDataContent();
        foreach (var (key, value) in fields)
        {
            form.Add(new StringContent(value), key);
        }

        var file = new ByteArrayContent(bytes);
        if (fileContentType)
        {
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        }

        form.Add(file, "content", filename);
        return form;
    }

    public void Dispose()
    {
        _factory.Dispose();
        _inner.Dispose();
        _secrets.Dispose();
    }
}
