using Microsoft.Extensions.Time.Testing;
using PypiLocal.Core.Caching;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Catalog.Bucket;

namespace PypiLocal.Core.Tests.Bucket;

/// <summary>The index entries a node remembers per project: read once per generation, and for no longer than its pages live.</summary>
public sealed class BucketFileLocationsTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly TestDistributions _dists = new();
    private readonly DistributionFile _wheel;
    private int _reads;

    public BucketFileLocationsTests() => _wheel = _dists.Wheel("demo", "1.0").File;

    public void Dispose() => _dists.Dispose();

    [Fact]
    public async Task Where_every_change_is_announced_the_entries_are_read_once_until_the_project_changes()
    {
        var pages = new InMemoryPageCache(_time);
        var locations = new BucketFileLocations(pages, _time);

        await LookUpAsync(locations);
        _time.Advance(TimeSpan.FromHours(1));
        await LookUpAsync(locations);
        Assert.Equal(1, _reads);

        await pages.InvalidateProjectAsync("demo", default);
        await LookUpAsync(locations);
        Assert.Equal(2, _reads);
    }

    [Fact]
    public async Task Where_pages_expire_because_changes_elsewhere_go_unheard_the_entries_expire_with_them()
    {
        var locations = new BucketFileLocations(new InMemoryPageCache(_time, maxAge: TimeSpan.FromSeconds(2)), _time);

        await LookUpAsync(locations);
        _time.Advance(TimeSpan.FromSeconds(1));
        await LookUpAsync(locations);
        Assert.Equal(1, _reads);

        _time.Advance(TimeSpan.FromSeconds(1));
        await LookUpAsync(locations);
        Assert.Equal(2, _reads);
    }

    private async Task LookUpAsync(BucketFileLocations locations)
    {
        var files = await locations.GetAsync("demo", (_, _) => { _reads++; return Task.FromResult<IReadOnlyList<DistributionFile>>([_wheel]); }, default);
        Assert.Same(_wheel, Assert.Single(files).Value);
    }
}
