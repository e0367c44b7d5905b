using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using PypiLocal.Testing;

namespace PypiLocal.Api.Tests.Support;

/// <summary>The api on a test host, serving a fresh temporary folder in the embedded mode.</summary>
public sealed class PypiLocalApplicationFactory(IReadOnlyDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    private readonly TempFolder _folder = new("pypilocal-api-test");

    public string Folder => _folder.Path;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Storage:Folders:0", _folder.Path);
        builder.UseSetting("Storage:RescanInterval", "00:00:00.200");
        builder.UseEnvironment("Production");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>A client that does not follow redirects, so tests see them.</summary>
    public HttpClient CreateRawClient() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _folder.Dispose();
        }
    }
}
