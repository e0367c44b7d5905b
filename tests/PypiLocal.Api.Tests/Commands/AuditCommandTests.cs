using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using PypiLocal.Api.Commands;
using PypiLocal.Api.Tests.Support;
using PypiLocal.Core.Audit;
using PypiLocal.Core.Auth;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Storage;
using PypiLocal.Testing;

namespace PypiLocal.Api.Tests.Commands;

/// <summary><c>pypilocal audit</c> over a state directory: every event in order, as lines or JSON, filtered by project and time.</summary>
public sealed class AuditCommandTests : IAsyncLifetime
{
    private readonly TempFolder _root = new("pypilocal-audit-command");

    private string State => _root.Combine("state");

    public async Task InitializeAsync()
    {
        var trail = new AuditTrail(
            new AuditLog(new FolderBlobStore(State), TimeProvider.System, NullLogger<AuditLog>.Instance),
            new CommandAuditOrigin(),
            new AuditHealthCheck(TimeProvider.System),
            TimeProvider.System,
            NullLogger<AuditTrail>.Instance);
        var wheel = new DistributionFile("demo", "demo-1.0-py3-none-any.whl", "1.0", Protocol.Filenames.DistributionKind.Wheel, 10, new FileDigests("ab12", Md5: "cd34"), DateTimeOffset.UtcNow);
        var publisher = new PublisherIdentity("https://token.actions.githubusercontent.com", new Dictionary<string, string> { ["repository"] = "acme/demo", ["run_id"] = "7" });
        await trail.RecordAsync(new IndexUser("trusted:acme/demo", new GrantSet([new AccessGrant(AccessRight.Upload, "demo")]), true, publisher, "0badc0de"), AuditChange.OfFile(AuditAction.Upload, wheel));
        await trail.RecordAsync(new IndexUser("alice", GrantSet.All), AuditChange.OfFile(AuditAction.Yank, wheel with { Project = "other" }, "broken"));
    }

    public Task DisposeAsync()
    {
        _root.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Lists_every_change_with_its_author_in_order()
    {
        var (exitCode, output, _) = await CommandRunner.RunAsync(AuditCommand.Create(), "audit", "--packages", _root.Combine("packages"), "--state-dir", State);

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(0, exitCode);
        Assert.Equal(2, lines.Length);
        Assert.Contains("  upload  trusted:acme/demo [token 0badc0de] [https://token.actions.githubusercontent.com repository=acme/demo]  demo  1.0  demo-1.0-py3-none-any.whl  sha256=ab12  from cli:", lines[0], StringComparison.Ordinal);
        Assert.Contains("  yank  alice  other  1.0  demo-1.0-py3-none-any.whl  sha256=ab12  (broken)  from cli:", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_lines_carry_every_field_and_project_filters()
    {
        var (exitCode, output, _) = await CommandRunner.RunAsync(AuditCommand.Create(), "audit", "--state-dir", State, "--json", "--project", "Demo", "--since", "1h");

        using var json = JsonDocument.Parse(Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Equal(0, exitCode);
        Assert.Equal("7", json.RootElement.GetProperty("actor").GetProperty("publisher").GetProperty("claims").GetProperty("run_id").GetString());
        Assert.Equal("cd34", json.RootElement.GetProperty("hashes").GetProperty("md5").GetString());
    }

    [Fact]
    public async Task A_since_that_is_neither_a_date_nor_a_duration_is_refused()
    {
        var (exitCode, _, error) = await CommandRunner.RunAsync(AuditCommand.Create(), "audit", "--state-dir", State, "--since", "last week");

        Assert.Equal(2, exitCode);
        Assert.Contains("--since", error, StringComparison.Ordinal);
    }
}
