using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.Auth;

/// <summary>
/// A private index (<c>-a update,download,list</c>) with a rights file, where the reader may read <c>open-*</c> and the
/// admin everything, beside an open index serving a copy of the same files: what the open index shows anyone is the
/// page as it was before lists were filtered.
/// </summary>
public sealed class ReadableListsFixture : IAsyncLifetime
{
    public const string Password = "secret";
    private readonly TempFolder _root = new("pypilocal-readable");

    public PypiLocalServer Private { get; private set; } = null!;

    public PypiLocalServer Open { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var packages = Directory.CreateDirectory(_root.Combine("packages")).FullName;
        var copy = Directory.CreateDirectory(_root.Combine("copy")).FullName;
        foreach (var project in new[] { "open-lib", "open-tool", "closed-lib" })
        {
            var wheel = DistributionBuilder.Wheel(packages, project, "1.0");
            File.Copy(wheel, Path.Combine(copy, Path.GetFileName(wheel)));
        }

        var passwords = _root.Combine("htpasswd");
        var hash = Convert.ToBase64String(SHA1.HashData(Encoding.UTF8.GetBytes(Password)));
        await File.WriteAllLinesAsync(passwords, new[] { "admin", "reader" }.Select(u => $"{u}:{{SHA}}{hash}"));
        var rights = _root.Combine("rights");
        await File.WriteAllTextAsync(rights, "admin admin\nreader read open-*\n");
        var servers = await Task.WhenAll(
            PypiLocalServer.StartAsync(["serve", packages, "-P", passwords, "-a", "update,download,list"], new Dictionary<string, string?> { ["Auth__RightsFile"] = rights }),
            PypiLocalServer.ServeAsync(copy));
        (Private, Open) = (servers[0], servers[1]);
    }

    public async Task DisposeAsync()
    {
        foreach (var server in new[] { Private, Open }.Where(s => s is not null))
        {
            await server.DisposeAsync();
        }

        _root.Dispose();
    }
}

public sealed class ReadableListsTests(ReadableListsFixture fixture) : IClassFixture<ReadableListsFixture>
{
    private const string Json = "application/vnd.pypi.simple.v1+json";

    /// <summary>Every page that lists projects or files, with the Accept header a client sends for it.</summary>
    public static TheoryData<string, string?> ListPages => new()
    {
        { "/simple/", null },
        { "/simple/", Json },
        { "/projects/", null },
        { "/projects/?q=lib", null },
        { "/", null },
        { "/packages/", null },
    };

    private static async Task<HttpResponseMessage> GetAsync(PypiLocalServer server, string path, string? user, string? accept = null, string? etag = null)
    {
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (user is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{ReadableListsFixture.Password}")));
        }

        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        if (etag is not null)
        {
            request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(etag));
        }

        return await http.SendAsync(request);
    }

    [Theory]
    [MemberData(nameof(ListPages))]
    public async Task A_reader_of_open_projects_sees_only_those_and_the_admin_sees_all(string path, string? accept)
    {
        using var reader = await GetAsync(fixture.Private, path, "reader", accept);
        using var admin = await GetAsync(fixture.Private, path, "admin", accept);
        var readerBody = await reader.Content.ReadAsStringAsync();
        var adminBody = await admin.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, reader.StatusCode);
        Assert.Contains("open", readerBody);
        Assert.Contains(path == "/packages/" ? "open_lib-1.0" : "open-lib", readerBody);
        Assert.DoesNotContain("closed", readerBody);
        Assert.Contains("closed", adminBody);
        Assert.NotEqual(admin.Headers.ETag, reader.Headers.ETag);
    }

    [Theory]
    [MemberData(nameof(ListPages))]
    public async Task A_filtered_list_is_private_to_its_reader_and_revalidates_with_its_own_etag(string path, string? accept)
    {
        using var reader = await GetAsync(fixture.Private, path, "reader", accept);
        var etag = reader.Headers.ETag!.ToString();

        using var unchanged = await GetAsync(fixture.Private, path, "reader", accept, etag);
        using var adminWithReadersTag = await GetAsync(fixture.Private, path, "admin", accept, etag);

        Assert.True(reader.Headers.CacheControl is { Private: true, MustRevalidate: true, MaxAge.TotalSeconds: 0 }, $"Cache-Control: {reader.Headers.CacheControl}");
        Assert.Equal(["Accept", "Authorization"], reader.Headers.Vary);
        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, adminWithReadersTag.StatusCode);
        Assert.Contains("closed", await adminWithReadersTag.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/simple/", null)]
    [InlineData("/simple/", Json)]
    [InlineData("/projects/", null)]
    [InlineData("/projects/?q=lib", null)]
    [InlineData("/packages/", null)]
    public async Task The_admins_page_is_byte_for_byte_what_an_open_index_serves_anyone(string path, string? accept)
    {
        using var admin = await GetAsync(fixture.Private, path, "admin", accept);
        using var open = await GetAsync(fixture.Open, path, null, accept);

        Assert.Equal(await open.Content.ReadAsByteArrayAsync(), await admin.Content.ReadAsByteArrayAsync());
        Assert.Equal(open.Headers.ETag, admin.Headers.ETag);
        Assert.Equal(open.Headers.CacheControl, admin.Headers.CacheControl);
        Assert.False(admin.Headers.CacheControl!.Private);
        Assert.Equal(["Accept"], admin.Headers.Vary);
    }

    [Theory]
    [InlineData("/simple/", "/")]
    [InlineData("/projects/", "/")]
    [InlineData("/pypi/", "/json")]
    public async Task A_project_outside_the_readers_rights_answers_403_whether_or_not_it_exists(string before, string after)
    {
        using var existing = await GetAsync(fixture.Private, before + "closed-lib" + after, "reader");
        using var missing = await GetAsync(fixture.Private, before + "closed-nothing" + after, "reader");
        using var missingOpen = await GetAsync(fixture.Private, before + "open-nothing" + after, "reader");

        Assert.Equal(HttpStatusCode.Forbidden, existing.StatusCode);
        Assert.Equal("User 'reader' may not read project 'closed-lib'.", existing.ReasonPhrase);
        Assert.Equal(HttpStatusCode.Forbidden, missing.StatusCode);
        Assert.Equal("User 'reader' may not read project 'closed-nothing'.", missing.ReasonPhrase);
        Assert.Equal(HttpStatusCode.NotFound, missingOpen.StatusCode);
    }

    [Fact]
    public async Task Pip_finds_the_readers_projects_and_is_refused_the_others_with_the_reason()
    {
        using var python = await PythonEnvironment.CreateAsync();
        var index = $"http://reader:{ReadableListsFixture.Password}@127.0.0.1:{fixture.Private.Port}/simple/";
        var adminIndex = $"http://admin:{ReadableListsFixture.Password}@127.0.0.1:{fixture.Private.Port}/simple/";
        using var downloads = new TempFolder("pypilocal-readable-dl");

        var open = await python.PipAsync("index", "versions", "--index-url", index, "open-lib");
        var closed = await python.PipAsync("index", "versions", "--index-url", index, "closed-lib");
        var closedDownload = await python.PipAsync("download", "-vv", "--no-deps", "-d", downloads.Path, "--index-url", index, "closed-lib");
        var byAdmin = await python.PipAsync("download", "--no-deps", "-d", downloads.Path, "--index-url", adminIndex, "closed-lib");

        Assert.Contains("open-lib (1.0)", open.EnsureSuccess("pip index versions open-lib as the reader").StandardOutput);
        Assert.NotEqual(0, closed.ExitCode);
        Assert.Contains("No matching distribution found for closed-lib", closed.Output);
        Assert.NotEqual(0, closedDownload.ExitCode);
        Assert.Contains("No matching distribution found for closed-lib", closedDownload.Output);
        Assert.Contains("\"GET /simple/closed-lib/ HTTP/1.1\" 403", closedDownload.Output); // pip says why only when asked (-vv)
        byAdmin.EnsureSuccess("pip download closed-lib as the admin");
        Assert.True(File.Exists(Path.Combine(downloads.Path, DistributionBuilder.WheelFilename("closed-lib", "1.0"))));
    }
}
