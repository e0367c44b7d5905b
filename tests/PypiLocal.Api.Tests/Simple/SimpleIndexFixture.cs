using Microsoft.Extensions.DependencyInjection;
using PypiLocal.Api.Tests.Support;
using PypiLocal.Core.Caching;
using PypiLocal.Core.Catalog;
using PypiLocal.Testing;

namespace PypiLocal.Api.Tests.Simple;

/// <summary>
/// One index for the read-side checklist: project foo-bar (two wheel versions, an sdist, one yanked
/// wheel) and project other.
/// </summary>
public sealed class SimpleIndexFixture : IAsyncLifetime
{
    public PypiLocalApplicationFactory Factory { get; } = new();

    public string WheelPath { get; private set; } = "";

    public async Task InitializeAsync()
    {
        WheelPath = DistributionBuilder.Wheel(Factory.Folder, "Foo.Bar", "1.0", requiresPython: ">=3.8");
        DistributionBuilder.Wheel(Factory.Folder, "Foo.Bar", "2.0", requiresDist: ["other"]);
        DistributionBuilder.Wheel(Factory.Folder, "Foo.Bar", "0.9");
        DistributionBuilder.Sdist(Factory.Folder, "Foo.Bar", "1.0");
        DistributionBuilder.Wheel(Factory.Folder, "other", "3.0");
        await File.WriteAllTextAsync(Path.Combine(Factory.Folder, "README.txt"), "not a distribution");

        var repository = Factory.Services.GetRequiredService<IPackageRepository>();
        await repository.SetYankedAsync("foo-bar", DistributionBuilder.WheelFilename("foo-bar", "0.9"), true, "Broken <build>", CancellationToken.None);
        await Factory.Services.GetRequiredService<IPageCache>().InvalidateAllAsync(CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        Factory.Dispose();
        return Task.CompletedTask;
    }
}
