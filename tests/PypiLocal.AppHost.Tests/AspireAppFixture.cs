using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using PypiLocal.Testing;

namespace PypiLocal.AppHost.Tests;

/// <summary>
/// The whole app model started once, as <c>dotnet run --project PypiLocal.AppHost</c> starts it, inside the test
/// process (Aspire.Hosting.Testing): DCP runs redis-server, the S3 server and three api replicas, and the
/// dashboard serves. Started once for the test class; the dashboard and DCP's ports are free ones.
/// </summary>
public sealed class AspireAppFixture : IAsyncLifetime
{
    public const string User = "alice";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);

    public TempFolder Root { get; } = new("pypilocal-apphost");

    public string Password { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    public DistributedApplication App { get; private set; } = null!;

    /// <summary>The api's one stable URL: DCP's proxy in front of every replica.</summary>
    public Uri ApiUrl { get; private set; } = null!;

    public string DashboardLoginUrl { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var passwords = Root.Combine("htpasswd");
        await File.WriteAllTextAsync(passwords, $"{User}:{{SHA}}{Convert.ToBase64String(SHA1.HashData(Encoding.UTF8.GetBytes(Password)))}\n");

        using var timeout = new CancellationTokenSource(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.PypiLocal_AppHost>(
            new DistributedApplicationTestingBuilderOptions { EnableDashboard = true },
            ["--passwords", passwords],
            timeout.Token);
        // No certificates here: plain http for the dashboard and DCP, on ports of our own.
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true",
            ["ASPNETCORE_URLS"] = $"http://localhost:{FreePort.Next()}",
            ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://localhost:{FreePort.Next()}",
            ["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = $"http://localhost:{FreePort.Next()}",
        });
        App = await builder.BuildAsync(timeout.Token);
        await App.StartAsync(timeout.Token);
        foreach (var resource in Resources.Names)
        {
            await App.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token);
        }

        ApiUrl = App.GetEndpoint("api", "http");
        DashboardLoginUrl = (await App.GetDashboardUrlAsync(timeout.Token))?.ToString()
            ?? throw new InvalidOperationException("The dashboard did not start.");
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        Root.Dispose();
    }
}
