using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PypiLocal.Core.Caching;
using PypiLocal.Core.Downloads;
using PypiLocal.Core.JsonApi;
using PypiLocal.Core.Pages;
using PypiLocal.Core.Projects;
using PypiLocal.Core.Storage;
using PypiLocal.Core.Upstream;

namespace PypiLocal.Core.Tests.Support;

/// <summary>
/// The upstream services over a <see cref="StubUpstream"/>, a local repository in memory and a fake clock, built by
/// hand (no resilience pipeline, whose timers would wait on the fake clock).
/// </summary>
internal sealed class UpstreamHarness : IDisposable
{
    public UpstreamHarness(Action<UpstreamOptions>? configure = null)
    {
        Options = new UpstreamOptions { Indexes = [new UpstreamIndexOptions { Name = "stub", Url = StubUpstream.Root }] };
        configure?.Invoke(Options);
        var options = Microsoft.Extensions.Options.Options.Create(Options);
        Store = new UpstreamStore(Blobs, UpstreamServiceCollectionExtensions.BucketPrefix);
        var client = new UpstreamClient(Upstream, NullLogger<UpstreamClient>.Instance);
        Health = new UpstreamHealth(Time);
        Policy = new ReleasePolicy(Options);
        Projects = new UpstreamProjects(options, Store, client, Health, Time, NullLogger<UpstreamProjects>.Instance);
        Files = new UpstreamFiles(Store, client, Health, NullLogger<UpstreamFiles>.Instance);
        var statuses = ProjectStatuses.None;
        Views = new ProjectViews(Local, statuses, Projects, Store, Policy, Time, NullLogger<ProjectViews>.Instance);
        Pages = new IndexPageService(Local, PageCache, Views, Policy, Time, NullLogger<IndexPageService>.Instance);
        Downloads = new PackageDownloads(Local, statuses, Projects, Files, Policy, Time);
        Cache = new UpstreamCache(Store, Projects, PageCache);
        JsonApi = new JsonApiService(Local, statuses, Policy, Time);
    }

    public static readonly DateTimeOffset Start = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Time { get; } = new(Start);

    public StubUpstream Upstream { get; } = new();

    public InMemoryRepository Local { get; } = new();

    public InMemoryBlobStore Blobs { get; } = new();

    public InMemoryPageCache PageCache { get; } = new();

    public UpstreamOptions Options { get; }

    public UpstreamStore Store { get; }

    public UpstreamHealth Health { get; }

    public ReleasePolicy Policy { get; }

    public UpstreamProjects Projects { get; }

    public UpstreamFiles Files { get; }

    public ProjectViews Views { get; }

    public IndexPageService Pages { get; }

    public PackageDownloads Downloads { get; }

    public UpstreamCache Cache { get; }

    public JsonApiService JsonApi { get; }

    public void Dispose()
    {
        Files.Dispose();
        Upstream.Dispose();
    }
}
