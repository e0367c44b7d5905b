using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PypiLocal.Core.Auth;
using PypiLocal.Core.Caching;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Pages;
using PypiLocal.Core.Tests.Support;
using PypiLocal.Protocol.Filenames;
using PypiLocal.Protocol.Simple;

namespace PypiLocal.Core.Tests.Pages;

public sealed class IndexPageServiceTests
{
    private readonly CancellationToken _ct = CancellationToken.None;

    /// <summary>A repository whose reads wait on a gate, so tests can hold a render in flight.</summary>
    private sealed class GatedRepository : IPackageRepository
    {
        public TaskCompletionSource Gate { get; set; } = CompletedGate();

        public List<DistributionFile> Files { get; } = [];

        public int Reads;

        public Task<IReadOnlyList<ProjectSummary>> ListProjectsAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<ProjectSummary>>(Files.Select(f => f.Project).Distinct().Select(p => new ProjectSummary(p, p)).ToList());

        public async Task<ProjectListing?> GetProjectAsync(string project, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Reads);
            var snapshot = Files.Where(f => f.Project == project).ToList();
            await Gate.Task;
            return snapshot.Count == 0 ? null : new ProjectListing(project, project, snapshot);
        }

        public ValueTask<DownloadTarget?> GetDownloadAsync(string project, string filename, DownloadPart part, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<byte[]?> ReadCoreMetadataAsync(string project, string filename, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<byte[]?> ReadProvenanceAsync(string project, string filename, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<AddOutcome> AddAsync(NewDistribution distribution, bool overwrite, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> RemoveAsync(string project, string filename, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> SetYankedAsync(string project, string filename, bool yanked, string? reason, CancellationToken cancellationToken) => throw new NotSupportedException();

        private static TaskCompletionSource CompletedGate()
        {
            var gate = new TaskCompletionSource();
            gate.SetResult();
            return gate;
        }
    }

    private static DistributionFile File(string project, string version) =>
        new(project, $"{project}-{version}.tar.gz", version, DistributionKind.Sdist, 10, new FileDigests(new string('a', 64)), DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task Concurrent_misses_for_one_page_share_one_render()
    {
        var repository = new GatedRepository { Gate = new TaskCompletionSource() };
        repository.Files.Add(File("pkg", "1.0"));
        var service = PageServices.IndexPages(repository, new InMemoryPageCache());

        var requests = Enumerable.Range(0, 50).Select(_ => service.GetProjectAsync("pkg", SimpleMediaType.JsonV1, _ct)).ToList();
        repository.Gate.SetResult();
        var pages = await Task.WhenAll(requests);

        Assert.Equal(1, service.RenderCount);
        Assert.Equal(1, repository.Reads);
        Assert.All(pages, p => Assert.Same(pages[0], p));
    }

    [Fact]
    public async Task Later_requests_are_served_from_the_cache()
    {
        var repository = new GatedRepository();
        repository.Files.Add(File("pkg", "1.0"));
        var service = PageServices.IndexPages(repository, new InMemoryPageCache());

        await service.GetProjectAsync("pkg", SimpleMediaType.TextHtml, _ct);
        await service.GetProjectAsync("pkg", SimpleMediaType.TextHtml, _ct);

        Assert.Equal(1, service.RenderCount);
    }

    [Fact]
    public async Task A_render_that_races_an_invalidation_is_never_cached()
    {
        var repository = new GatedRepository { Gate = new TaskCompletionSource() };
        repository.Files.Add(File("pkg", "1.0"));
        var cache = new InMemoryPageCache();
        var service = PageServices.IndexPages(repository, cache);

        // A render reads the old listing, then an upload lands and invalidates before the render finishes.
        var stale = service.GetProjectAsync("pkg", SimpleMediaType.JsonV1, _ct);
        await Task.Delay(50);
        repository.Files.Add(File("pkg", "2.0"));
        await cache.InvalidateProjectAsync("pkg", _ct);
        repository.Gate.SetResult();
        await stale;

        var fresh = await service.GetProjectAsync("pkg", SimpleMediaType.JsonV1, _ct);
        Assert.Contains("pkg-2.0.tar.gz", System.Text.Encoding.UTF8.GetString(fresh!.Body));
    }

    [Fact]
    public async Task Unknown_projects_are_cached_as_not_found_until_that_name_changes()
    {
        var repository = new GatedRepository();
        var cache = new InMemoryPageCache();
        var service = PageServices.IndexPages(repository, cache);

        Assert.Null(await service.GetProjectAsync("nope", SimpleMediaType.JsonV1, _ct));
        repository.Files.Add(File("nope", "1.0"));
        Assert.Null(await service.GetProjectAsync("nope", SimpleMediaType.JsonV1, _ct));
        Assert.Equal(1, service.RenderCount);

        await cache.InvalidateProjectAsync("nope", _ct); // what an upload of that name does
        Assert.NotNull(await service.GetProjectAsync("nope", SimpleMediaType.JsonV1, _ct));
    }

    [Fact]
    public async Task A_project_that_appears_without_an_upload_here_shows_once_not_found_expires()
    {
        // A file dropped into a folder another node watches, or a project published upstream: no invalidation comes.
        var repository = new GatedRepository();
        var time = new FakeTimeProvider();
        var service = PageServices.Build(repository, new InMemoryPageCache(), time: time).GetRequiredService<IndexPageService>();

        Assert.Null(await service.GetProjectAsync("later", SimpleMediaType.JsonV1, _ct));
        repository.Files.Add(File("later", "1.0"));
        time.Advance(new PageCacheOptions().NotFoundTtl - TimeSpan.FromSeconds(1));
        Assert.Null(await service.GetProjectAsync("later", SimpleMediaType.JsonV1, _ct));

        time.Advance(TimeSpan.FromSeconds(2));
        Assert.NotNull(await service.GetProjectAsync("later", SimpleMediaType.JsonV1, _ct));
    }

    [Fact]
    public async Task Json_and_html_pages_have_different_etags_and_content_types()
    {
        var repository = new GatedRepository();
        repository.Files.Add(File("pkg", "1.0"));
        var service = PageServices.IndexPages(repository, new InMemoryPageCache());

        var json = await service.GetProjectAsync("pkg", SimpleMediaType.JsonV1, _ct);
        var html = await service.GetProjectAsync("pkg", SimpleMediaType.TextHtml, _ct);

        Assert.NotEqual(json!.ETag, html!.ETag);
        Assert.Equal("application/vnd.pypi.simple.v1+json", json.ContentType);
        Assert.StartsWith("text/html", html.ContentType, StringComparison.Ordinal);
    }

    private static ReadScope OpenReaders => ReadScope.Of(new GrantSet(AccessGrant.Parse("read open-*")));

    [Theory]
    [InlineData(SimpleMediaType.JsonV1)]
    [InlineData(SimpleMediaType.TextHtml)]
    public async Task A_reader_of_some_projects_gets_a_root_of_its_own_and_the_full_root_stays_as_it_was(SimpleMediaType mediaType)
    {
        var repository = new GatedRepository();
        repository.Files.AddRange([File("open-lib", "1.0"), File("closed-lib", "1.0")]);
        var service = PageServices.IndexPages(repository, new InMemoryPageCache());
        var full = (await service.GetRootAsync(mediaType, _ct))!;

        var filtered = (await service.GetRootAsync(mediaType, OpenReaders, _ct))!;
        var everyone = (await service.GetRootAsync(mediaType, ReadScope.Everything, _ct))!;

        Assert.Contains("open-lib", Encoding.UTF8.GetString(filtered.Body));
        Assert.DoesNotContain("closed-lib", Encoding.UTF8.GetString(filtered.Body));
        Assert.Equal(full.ContentType, filtered.ContentType);
        Assert.EndsWith($"-{OpenReaders.Key}\"", filtered.ETag);
        Assert.Equal((full.ETag, full.Body), (everyone.ETag, everyone.Body));
        Assert.Equal(SimplePageRenderer.RenderRoot(await repository.ListProjectsAsync(_ct), mediaType), full.Body);
    }

    [Fact]
    public async Task A_filtered_list_is_rendered_once_per_read_scope_and_invalidated_with_the_full_list()
    {
        var repository = new GatedRepository();
        repository.Files.AddRange([File("open-lib", "1.0"), File("closed-lib", "1.0")]);
        var cache = new InMemoryPageCache();
        var service = PageServices.IndexPages(repository, cache);
        var key = PageKey.ForView(null, "names");
        Task<CachedPage?> ListAsync(ReadScope readers) =>
            service.GetProjectListPageAsync(key, readers, "text/plain", projects => Task.FromResult(Encoding.UTF8.GetBytes(string.Join(' ', projects.Select(p => p.Project).Order()))), _ct);

        var first = (await ListAsync(OpenReaders))!;
        var again = (await ListAsync(ReadScope.Of(new GrantSet(AccessGrant.Parse("upload Open_*")))))!;
        var full = (await ListAsync(ReadScope.Everything))!;
        var rendersBefore = service.RenderCount;
        repository.Files.Add(File("open-new", "1.0"));
        await cache.InvalidateProjectAsync("open-new", _ct); // what an upload of that name does
        var after = (await ListAsync(OpenReaders))!;

        Assert.Equal("open-lib", Encoding.UTF8.GetString(first.Body));
        Assert.Equal(first.ETag, again.ETag);
        Assert.Equal("closed-lib open-lib", Encoding.UTF8.GetString(full.Body));
        Assert.NotEqual(full.ETag, first.ETag);
        Assert.Equal(2, rendersBefore);
        Assert.Equal("open-lib open-new", Encoding.UTF8.GetString(after.Body));
    }
}
