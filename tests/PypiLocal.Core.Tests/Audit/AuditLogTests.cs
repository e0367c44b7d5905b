using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PypiLocal.Core.Audit;
using PypiLocal.Core.Auth;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Storage;
using PypiLocal.Core.Tests.Support;
using PypiLocal.Testing;

namespace PypiLocal.Core.Tests.Audit;

/// <summary>Events from any number of nodes read back in time order, each once, filtered by time and project.</summary>
public sealed class AuditLogTests
{
    private static readonly DateTimeOffset Start = new(2026, 10, 31, 23, 59, 59, TimeSpan.Zero);

    private static AuditChange Upload(string project, string filename) =>
        AuditChange.OfFile(AuditAction.Upload, new DistributionFile(project, filename, "1.0", Protocol.Filenames.DistributionKind.Wheel, 1, new FileDigests("sha-" + filename), Start));

    public sealed class ReadAsync
    {
        [Fact]
        public async Task Lists_the_events_of_two_nodes_once_each_in_time_order_with_ties_broken_the_same_way_every_time()
        {
            var time = new FakeTimeProvider(Start);
            var audit = new TestAudit(time);
            var (nodeA, nodeB) = (audit.Trail, audit.NewNode());

            await nodeA.RecordAsync(new IndexUser("alice", GrantSet.All), Upload("demo", "a"));
            await nodeB.RecordAsync(new IndexUser("bob", GrantSet.All), Upload("demo", "tie-1"));
            time.Advance(TimeSpan.FromSeconds(2)); // across the month boundary: another listing prefix
            await nodeB.RecordAsync(new IndexUser("bob", GrantSet.All), Upload("demo", "b"));
            await nodeA.RecordAsync(new IndexUser("alice", GrantSet.All), Upload("demo", "c"));
            await nodeA.RecordAsync(new IndexUser("alice", GrantSet.All), Upload("demo", "d"));

            var events = await audit.EventsAsync();
            var again = await audit.EventsAsync();

            Assert.Equal(5, events.Select(e => e.Id).Distinct().Count());
            Assert.Equal(events.Select(e => e.Id), again.Select(e => e.Id));
            Assert.Equal(events.OrderBy(e => e.Time).ThenBy(e => e.Id, StringComparer.Ordinal).Select(e => e.Id), events.Select(e => e.Id));

            // One node's events keep their order even when its clock does not move between them.
            Assert.True(events.FindIndex(e => e.Filename == "c") < events.FindIndex(e => e.Filename == "d"));
            Assert.Equal(["a", "tie-1"], events.Take(2).Select(e => e.Filename).Order());
        }

        [Fact]
        public async Task Since_and_project_pick_the_events_listing_only_the_months_from_then()
        {
            var time = new FakeTimeProvider(Start.AddMonths(-3));
            var audit = new TestAudit(time);
            var trail = audit.Trail;
            await trail.RecordAsync(new IndexUser("alice", GrantSet.All), Upload("old", "x"));
            time.SetUtcNow(Start);
            await trail.RecordAsync(new IndexUser("alice", GrantSet.All), Upload("demo-pkg", "y"));
            time.Advance(TimeSpan.FromDays(1));
            await trail.RecordAsync(new IndexUser("alice", GrantSet.All), Upload("other", "z"));
            await trail.RecordAsync(AuditActor.Of(IndexUser.Operator), new AuditChange(AuditAction.TokenCreate, Detail: "token"));

            Assert.Equal(["y", "z", null], (await audit.EventsAsync(new AuditQuery(Since: Start))).Select(e => e.Filename));
            Assert.Equal(["z", null], (await audit.EventsAsync(new AuditQuery(Since: Start.AddSeconds(1)))).Select(e => e.Filename));
            Assert.Equal(["y"], (await audit.EventsAsync(new AuditQuery(Project: "Demo_Pkg"))).Select(e => e.Filename));
            Assert.Equal(4, (await audit.EventsAsync()).Count);
        }

        [Fact]
        public async Task An_event_written_twice_by_a_retried_write_is_kept_once_on_disk()
        {
            using var folder = new TempFolder("pypilocal-audit-log");
            var log = new AuditLog(new FolderBlobStore(folder.Path, flushToDisk: true), TimeProvider.System, NullLogger<AuditLog>.Instance);
            var entry = new AuditEvent(AuditKeys.NewId(Start.UtcTicks, "0a0b0c"), Start, AuditAction.Yank, new AuditActor("alice"), "127.0.0.1", "node", "demo", Detail: "broken");

            await log.AppendAsync(entry, CancellationToken.None);
            await log.AppendAsync(entry, CancellationToken.None);

            var read = new List<AuditEvent>();
            await foreach (var e in log.ReadAsync(new AuditQuery(), CancellationToken.None))
            {
                read.Add(e);
            }

            Assert.Equal(entry, Assert.Single(read));
            Assert.True(File.Exists(Path.Combine(folder.Path, "audit", "events", "2026", "10", "31", entry.Id + ".json")));
        }
    }

    public sealed class RecordAsync
    {
        [Fact]
        public async Task A_failed_write_never_fails_the_change_and_turns_the_health_check_degraded_until_one_succeeds()
        {
            using var folder = new TempFolder("pypilocal-audit-fail");
            var blocked = folder.Combine("not-a-directory");
            await File.WriteAllTextAsync(blocked, "");
            var health = new AuditHealthCheck(TimeProvider.System);
            var failing = new AuditTrail(new AuditLog(new FolderBlobStore(blocked), TimeProvider.System, NullLogger<AuditLog>.Instance), new CommandAuditOrigin(), health, TimeProvider.System, NullLogger<AuditTrail>.Instance);

            await failing.RecordAsync(new IndexUser("alice", GrantSet.All), Upload("demo", "a"));

            Assert.Equal(HealthStatus.Degraded, (await health.CheckHealthAsync(new HealthCheckContext())).Status);
            var working = new AuditTrail(new TestAudit().Log, new CommandAuditOrigin(), health, TimeProvider.System, NullLogger<AuditTrail>.Instance);
            await working.RecordAsync(new IndexUser("alice", GrantSet.All), Upload("demo", "b"));
            Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(new HealthCheckContext())).Status);
        }
    }

    public sealed class ParseSince
    {
        private static readonly DateTimeOffset Now = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

        [Theory]
        [InlineData("90s", "2026-11-30T07:58:30Z")]
        [InlineData("30m", "2026-11-30T07:30:00Z")]
        [InlineData("24h", "2026-11-29T08:00:00Z")]
        [InlineData("7d", "2026-11-23T08:00:00Z")]
        [InlineData("2W", "2026-11-16T08:00:00Z")]
        [InlineData("2026-11-01", "2026-11-01T00:00:00Z")]
        [InlineData("2026-11-01T09:30:00+01:00", "2026-11-01T08:30:00Z")]
        public void Reads_durations_back_from_now_and_dates_in_UTC(string text, string expected) =>
            Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), AuditQuery.ParseSince(text, Now));

        [Theory]
        [InlineData("yesterday")]
        [InlineData("d")]
        [InlineData("-3d")]
        public void Refuses_anything_else(string text) => Assert.Null(AuditQuery.ParseSince(text, Now));
    }
}
