using System.Net;
using System.Security.Cryptography;
using System.Text;
using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.Auth;

/// <summary>pypiserver's private index: <c>-P htpasswd -a update,download,list</c>; pip passes credentials in the index URL.</summary>
public sealed class PrivateIndexTests
{
    [Fact]
    public async Task Reading_needs_an_account_when_download_and_list_are_protected_and_pip_installs_with_one()
    {
        using var packages = new TempFolder("pypilocal-private");
        DistributionBuilder.Wheel(packages.Path, "secret-lib", "1.0");
        var htpasswd = packages.Combine(".htpasswd");
        await File.WriteAllTextAsync(htpasswd, $"alice:{{SHA}}{Convert.ToBase64String(SHA1.HashData(Encoding.UTF8.GetBytes("s3cret")))}\n");
        await using var server = await PypiLocalServer.ServeAsync(packages.Path, "-P", htpasswd, "-a", "update,download,list");
        using var http = new HttpClient();

        using var anonymous = await http.GetAsync(server.IndexUrl + "secret-lib/");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains(anonymous.Headers.WwwAuthenticate, h => h.Scheme == "Basic");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync($"{server.BaseUrl}/packages/secret-lib/{DistributionBuilder.WheelFilename("secret-lib", "1.0")}")).StatusCode);

        using var python = await PythonEnvironment.CreateAsync();
        var refused = await python.InstallAsync($"http://alice:wrong@127.0.0.1:{server.Port}/simple/", "secret-lib");
        Assert.NotEqual(0, refused.ExitCode);

        (await python.InstallAsync($"http://alice:s3cret@127.0.0.1:{server.Port}/simple/", "secret-lib")).EnsureSuccess("pip install with credentials");
        Assert.Equal("1.0", await python.RunAsync("import secret_lib; print(secret_lib.VERSION)"));
        Assert.DoesNotContain("s3cret", server.Log);
    }
}
