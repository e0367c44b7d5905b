using System.Net;
using System.Net.Http.Headers;
using System.Text;
using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.Pypiserver;

/// <summary>
/// The package folder mounted read-only, as with <c>docker run -v packages:/data/packages:ro</c>: a real read-only bind
/// mount in a mount namespace of the server's own (<c>unshare</c>, which needs root, as CI has). Reading works as
/// usual; an upload or a removal is refused with a reason twine prints, never a 500 or a stack trace.
/// </summary>
public sealed class ReadOnlyFolderTests
{
    [Fact]
    public async Task A_read_only_package_folder_is_served_and_uploads_and_removals_are_refused_with_a_clear_reason()
    {
        using var root = new TempFolder("pypilocal-readonly");
        var packages = Directory.CreateDirectory(root.Combine("packages")).FullName;
        var served = DistributionBuilder.Wheel(packages, "ro-demo", "1.0");
        var upload = DistributionBuilder.Wheel(root.Combine("dist"), "ro-demo", "2.0");
        string[] readOnlyMount = ["unshare", "--mount", "sh", "-c", "mount --bind -o ro \"$0\" \"$0\" && exec \"$@\"", packages];
        await using var server = await PypiserverCommand.StartAsync(
            "pypi-server run -p {port} -P {htpasswd} -a update --disable-fallback {packages}",
            new Dictionary<string, string> { ["packages"] = packages, ["htpasswd"] = PypiserverCommand.WritePasswords(root.Path) },
            launcher: readOnlyMount);
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{PypiserverCommand.User}:{PypiserverCommand.Password}")));

        var file = await http.GetByteArrayAsync($"{server.BaseUrl}/packages/{Path.GetFileName(served)}");
        var twine = await PypiserverCommand.TwineAsync(server.BaseUrl, PypiserverCommand.User, PypiserverCommand.Password, root.Path, upload);
        using var remove = await http.PostAsync(server.BaseUrl + "/", new MultipartFormDataContent
        {
            { new StringContent("remove_pkg"), ":action" },
            { new StringContent("ro-demo"), "name" },
            { new StringContent("1.0"), "version" },
        });

        Assert.Equal(await File.ReadAllBytesAsync(served), file);
        Assert.NotEqual(0, twine.ExitCode);
        Assert.Contains("403", twine.Output, StringComparison.Ordinal);
        Assert.Contains("read-only package folder", twine.Output, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, remove.StatusCode);
        Assert.Contains("read-only package folder", remove.ReasonPhrase, StringComparison.Ordinal);
        Assert.Equal([Path.GetFileName(served)], Directory.EnumerateFileSystemEntries(packages).Select(Path.GetFileName));
        Assert.DoesNotContain("   at ", server.Log, StringComparison.Ordinal);
    }
}
