using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PypiLocal.Core.Audit;
using PypiLocal.Core.Tests.Support;
using PypiLocal.Core.TrustedPublishing;

namespace PypiLocal.Core.Tests.Audit;

/// <summary>A change of the configured trusted publishers is recorded once, however many nodes start with it.</summary>
public sealed class TrustedPublishersAuditTests
{
    private readonly TestAudit _audit = new();

    private static TrustedPublishingOptions Publishers(params string[] repositories) => new()
    {
        Publishers = [.. repositories.Select(r => new TrustedPublisherSettings
        {
            Issuer = "https://token.actions.githubusercontent.com",
            Claims = new() { ["repository"] = r, ["workflow_ref"] = r + "/.github/workflows/release.yml@*" },
            Projects = ["Widgets"],
        })],
    };

    private async Task StartNodeAsync(TrustedPublishingOptions settings)
    {
        using var node = new TrustedPublishersAudit(new FixedOptionsMonitor(settings), _audit.Log, _audit.Trail, NullLogger<TrustedPublishersAudit>.Instance);
        await node.StartAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Nodes_starting_with_no_publishers_record_nothing_and_a_change_is_recorded_once_by_many()
    {
        await StartNodeAsync(new TrustedPublishingOptions());
        Assert.Empty(await _audit.EventsAsync());

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => StartNodeAsync(Publishers("acme/widgets"))));
        await StartNodeAsync(Publishers("acme/widgets"));

        var change = Assert.Single(await _audit.EventsAsync());
        Assert.Equal(AuditAction.PublishersChange, change.Action);
        Assert.Contains("repository=acme/widgets", change.Detail, StringComparison.Ordinal);

        await StartNodeAsync(new TrustedPublishingOptions());
        Assert.StartsWith("0 publisher(s)", (await _audit.EventsAsync())[^1].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_set_in_another_order_reads_the_same() =>
        Assert.Equal(TrustedPublishersAudit.Describe(Publishers("a/x", "b/y")), TrustedPublishersAudit.Describe(Publishers("b/y", "a/x")));

    private sealed class FixedOptionsMonitor(TrustedPublishingOptions value) : IOptionsMonitor<TrustedPublishingOptions>
    {
        public TrustedPublishingOptions CurrentValue => value;

        public TrustedPublishingOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<TrustedPublishingOptions, string?> listener) => null;
    }
}
