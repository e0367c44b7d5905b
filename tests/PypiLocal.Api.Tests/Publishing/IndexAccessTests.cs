using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PypiLocal.Core;
using PypiLocal.Core.Auth;
using PypiLocal.Testing;

namespace PypiLocal.Api.Tests.Publishing;

/// <summary>RequireIndexAccess guards read endpoints when Auth:Authenticate lists download or list (pypiserver's -a).</summary>
public sealed class IndexAccessTests : IAsyncLifetime
{
    private readonly TempFolder _folder = new("pypilocal-access");
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var passwords = _folder.Combine("htpasswd");
        await File.WriteAllTextAsync(passwords, "alice:{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=\n");
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:Authenticate"] = "update,list",
            ["Auth:PasswordsFile"] = passwords,
        });
        builder.Services.AddPypiLocalCore();
        _app = builder.Build();
        // A plain RequestDelegate endpoint (which endpoint filters would skip) and a minimal-API handler.
        _app.MapGet("/listing", (RequestDelegate)(context => context.Response.WriteAsync("listed"))).RequireIndexAccess(IndexAction.List);
        _app.MapGet("/download/{name}", (string name) => $"file {name}").RequireIndexAccess(IndexAction.Download);
        var group = _app.MapGroup("/group").RequireIndexAccess(IndexAction.List);
        group.MapGet("/inside", () => "inside");
        await _app.StartAsync();
        _client = _app.GetTestClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
        _folder.Dispose();
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string? password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (password is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"alice:{password}")));
        }

        return await _client.SendAsync(request);
    }

    [Theory]
    [InlineData("/listing")]
    [InlineData("/group/inside")]
    public async Task A_guarded_read_asks_for_credentials_refuses_wrong_ones_and_serves_right_ones(string path)
    {
        using var missing = await GetAsync(path, null);
        using var wrong = await GetAsync(path, "nope");
        using var right = await GetAsync(path, "secret");

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("Basic realm=\"pypilocal\"", missing.Headers.WwwAuthenticate.ToString());
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
    }

    [Fact]
    public async Task An_action_not_listed_stays_open()
    {
        using var response = await GetAsync("/download/x.whl", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("file x.whl", await response.Content.ReadAsStringAsync());
    }
}
