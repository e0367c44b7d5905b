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
    public async Task A_configuration_reload_that_changes_the_set_is_recorded()
    {
        var monitor = new FixedOptionsMonitor(Publishers("acme/widgets"));
        using var node = new TrustedPublishersAudit(monitor, _audit.Log, _audit.Trail, NullLogger<TrustedPublishersAudit>.Instance);
        await node.StartAsync(CancellationToken.None);

        monitor.Reload(Publishers("acme/widgets", "acme/gadgets"));

        Assert.True(await PypiLocal.Testing.Eventually.TrueAsync(async () => (await _audit.EventsAsync()).Count == 2, TimeSpan.FromSeconds(10)));
        Assert.Contains("2 publisher(s)", (await _audit.EventsAsync())[^1].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_set_in_another_order_reads_the_same() =>
        Assert.Equal(TrustedPublishersAudit.Describe(Publishers("a/x", "b/y")), TrustedPublishersAudit.Describe(Publishers("b/y", "a/x")));

    private sealed class FixedOptionsMonitor(TrustedPublishingOptions value) : IOptionsMonitor<TrustedPublishingOptions>
    {
        private Action<TrustedPublishingOptions, string?>? _listener;

        public TrustedPublishingOptions CurrentValue { get; private set; } = value;

        public TrustedPublishingOptions Get(string? name) => CurrentValue;

        public IDisposable? OnChange(Action<TrustedPublishingOptions, string?> listener)
        {
            _listener = listener;
            return null;
        }

        /// <summary>What a changed settings file does: the new value, announced (twice, as file watchers often do).</summary>
        public void Reload(TrustedPublishingOptions changed)
        {
            CurrentValue = changed;
            _listener?.Invoke(changed, null);
            _listener?.Invoke(changed, null);
        }
    }
}
