using PypiLocal.Core.Inspection;
using PypiLocal.Testing;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Catalog.Bucket;
using PypiLocal.Core.Maintenance;
using PypiLocal.Core.Storage;
using PypiLocal.Infrastructure.Storage;
using PypiLocal.Infrastructure.Tests.Support;
using PypiLocal.Protocol.Filenames;

namespace PypiLocal.Infrastructure.Tests.Bucket;

/// <summary>The bucket catalog end to end on a real S3 server: every stored file is read back and hashed.</summary>
[Collection(MotoCollection.Name)]
public sealed class BucketOnS3Tests(MotoServerFixture moto) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pypilocal-s3-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private NewDistribution Stage(string project, string version)
    {
        var bytes = DistributionBuilder.WheelBytes(project, version, requiresPython: ">=3.8");
        var path = Path.Combine(_folder, Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(path, bytes);
        var metadata = Encoding.UTF8.GetBytes(DistributionBuilder.Metadata(project, version, requiresPython: ">=3.8"));
        return new NewDistribution(
            new DistributionFile(project, DistributionBuilder.WheelFilename(project, version), version, DistributionKind.Wheel, bytes.Length,
                new FileDigests(Convert.ToHexStringLower(SHA256.HashData(bytes))), DateTimeOffset.UtcNow,
                DisplayName: project, RequiresPython: ">=3.8", CoreMetadataSha256: Convert.ToHexStringLower(SHA256.HashData(metadata))),
            path,
            metadata);
    }

    private static async Task<string> HashDownload(DownloadTarget? target, HttpClient http)
    {
        switch (target)
        {
            case RedirectDownload redirect:
                await using (var body = await http.GetStreamAsync(redirect.Location))
                {
                    return Convert.ToHexStringLower(await SHA256.HashDataAsync(body));
                }

            case BytesDownload held:
                return Convert.ToHexStringLower(SHA256.HashData(held.Bytes));

            case StreamDownload stream:
                await using (var body = await stream.Open(default))
                {
                    Assert.Equal(stream.Length, body.Length);
                    return Convert.ToHexStringLower(await SHA256.HashDataAsync(body));
                }

            default:
                throw new Xunit.Sdk.XunitException($"No download: {target}");
        }
    }

    [Theory]
    [InlineData(S3DownloadMode.Redirect)]
    [InlineData(S3DownloadMode.Proxy)]
    public async Task Every_stored_file_and_its_metadata_read_back_with_their_sha256(S3DownloadMode mode)
    {
        using var store = moto.CreateStore(o => o.DownloadMode = mode);
        var repository = new BucketRepository(store);
        var dists = new[] { Stage("alpha", "1.0"), Stage("alpha", "1.1"), Stage("beta-pkg", "2.0") };
        using var http = new HttpClient();

        foreach (var d in dists)
        {
            Assert.Equal(AddOutcome.Created, await repository.AddAsync(d, false, default));
        }

        Assert.Equal(AddOutcome.Identical, await repository.AddAsync(dists[0], false, default));
        Assert.Equal(["alpha", "beta-pkg"], (await repository.ListProjectsAsync(default)).Select(p => p.Project).Order());
        foreach (var d in dists)
        {
            var listing = await repository.GetProjectAsync(d.File.Project, default);
            var entry = Assert.Single(listing!.Files, f => f.Filename == d.File.Filename);
            var file = await repository.GetDownloadAsync(d.File.Project, d.File.Filename, DownloadPart.File, default);
            var metadata = await repository.GetDownloadAsync(d.File.Project, d.File.Filename, DownloadPart.CoreMetadata, default);
            Assert.Equal(mode == S3DownloadMode.Redirect, file is RedirectDownload);
            Assert.IsType<BytesDownload>(metadata); // sent by the node in either mode: a few kilobytes pip asks for per candidate
            Assert.Equal(entry.Digests.Sha256, await HashDownload(file, http));
            Assert.Equal(entry.CoreMetadataSha256, await HashDownload(metadata, http));
        }

        Assert.Null(await repository.GetDownloadAsync("alpha", "alpha-9.9-py3-none-any.whl", DownloadPart.File, default));
    }

    [Fact]
    public async Task Proxy_downloads_serve_ranges_from_a_seek()
    {
        using var store = moto.CreateStore(o => o.DownloadMode = S3DownloadMode.Proxy);
        var repository = new BucketRepository(store);
        var d = Stage("ranged", "1.0");
        await repository.AddAsync(d, false, default);
        var bytes = await File.ReadAllBytesAsync(d.StagedPath);

        var download = Assert.IsType<StreamDownload>(await repository.GetDownloadAsync("ranged", d.File.Filename, DownloadPart.File, default));
        await using var stream = await download.Open(default);
        stream.Seek(bytes.Length - 100, SeekOrigin.Begin);
        var tail = new byte[100];
        await stream.ReadExactlyAsync(tail);

        Assert.Equal(bytes[^100..], tail);
        Assert.StartsWith("\"", download.ETag, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_uploads_through_three_repositories_lose_nothing()
    {
        var options = moto.Options();
        var stores = Enumerable.Range(0, 3).Select(_ => moto.CreateStore(options)).ToArray();
        try
        {
            var repositories = stores.Select(s => new BucketRepository(s)).ToArray();
            var dists = Enumerable.Range(0, 30).Select(i => Stage("contended", $"1.{i}")).ToArray();

            var outcomes = await Task.WhenAll(dists.Select((d, i) => Task.Run(() => repositories[i % 3].AddAsync(d, false, default))));

            Assert.All(outcomes, o => Assert.Equal(AddOutcome.Created, o));
            foreach (var repository in repositories)
            {
                var listing = await repository.GetProjectAsync("contended", default);
                Assert.Equal(dists.Select(d => d.File.Filename).Order(), listing!.Files.Select(f => f.Filename).Order());
            }
        }
        finally
        {
            foreach (var store in stores)
            {
                store.Dispose();
            }
        }
    }

    private static readonly DistributionInspector Inspector = new(Microsoft.Extensions.Options.Options.Create(new PypiLocal.Core.Publishing.PublishingOptions()));

    [Fact]
    public async Task Import_loads_a_nested_folder_once_and_reindex_follows_changes_behind_its_back()
    {
        using var store = moto.CreateStore();
        var repository = new BucketRepository(store);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
        var import = new ImportService(repository, Inspector, time, NullLogger<ImportService>.Instance);
        var source = Path.Combine(_folder, "packages");
        DistributionBuilder.Wheel(source, "alpha", "1.0", requiresPython: ">=3.8");
        DistributionBuilder.Wheel(Path.Combine(source, "nested", "deeper"), "alpha", "2.0", requiresPython: ">=3.8");
        DistributionBuilder.Wheel(Path.Combine(source, "nested"), "Beta_Pkg", "0.1", requiresPython: ">=3.8");
        await File.WriteAllTextAsync(Path.Combine(source, "README.txt"), "not a distribution");
        var seen = new List<ImportProgress>();

        var first = await import.ImportAsync(source, seen.Add, default);
        var second = await import.ImportAsync(source, null, default);

        Assert.Equal((3, 0, 0, 0, 1), (first.Added, first.Skipped, first.Conflicts, first.Failed, first.Ignored));
        Assert.Equal((0, 3), (second.Added, second.Skipped));
        Assert.Equal([1, 2, 3], seen.Select(p => p.Done));
        var beta = (await repository.GetProjectAsync("beta-pkg", default))!;
        Assert.Equal("Beta_Pkg", beta.DisplayName);
        Assert.Equal(">=3.8", Assert.Single(beta.Files).RequiresPython);
        foreach (var path in Directory.EnumerateFiles(source, "*.whl", SearchOption.AllDirectories))
        {
            var project = Path.GetFileName(path).StartsWith("alpha", StringComparison.Ordinal) ? "alpha" : "beta-pkg";
            var entry = (await repository.GetProjectAsync(project, default))!.Files.Single(f => f.Filename == Path.GetFileName(path));
            await using var stored = await store.OpenReadAsync(BucketKeys.FileOf(entry), default);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path))), Convert.ToHexStringLower(await SHA256.HashDataAsync(stored!)));
        }

        // Behind its back: wheels copied in (new project and existing one), an uploaded wheel deleted, and a wheel
        // copied in under an uploaded one's name (ignored: the upload's entry names its own key).
        var copied = DistributionBuilder.WheelBytes("gamma", "3.0", requiresPython: ">=3.8");
        await store.PutAsync(BucketKeys.File("gamma", DistributionBuilder.WheelFilename("gamma", "3.0")), new MemoryStream(copied), copied.Length, BlobWriteCondition.None, default);
        var extra = DistributionBuilder.WheelBytes("alpha", "3.0", requiresPython: ">=3.8");
        await store.PutAsync(BucketKeys.File("alpha", DistributionBuilder.WheelFilename("alpha", "3.0")), new MemoryStream(extra), extra.Length, BlobWriteCondition.None, default);
        var imported = (await repository.GetProjectAsync("alpha", default))!.Files;
        await store.DeleteAsync(BucketKeys.FileOf(imported.Single(f => f.Version == "1.0")), default);
        var importedSha256 = imported.Single(f => f.Version == "2.0").Digests.Sha256;
        // Provenance objects no upload verified, at the filename's key: one beside the copied-in wheel, one whose wheel is gone.
        var planted = "{\"version\":1}"u8.ToArray();
        await store.PutAsync(BucketKeys.Provenance("gamma", DistributionBuilder.WheelFilename("gamma", "3.0")), new MemoryStream(planted), planted.Length, BlobWriteCondition.None, default);
        await store.PutAsync(BucketKeys.Provenance("alpha", DistributionBuilder.WheelFilename("alpha", "1.0")), new MemoryStream(planted), planted.Length, BlobWriteCondition.None, default);
        var rebuilt = DistributionBuilder.WheelBytes("alpha", "2.0");
        await store.PutAsync(BucketKeys.File("alpha", DistributionBuilder.WheelFilename("alpha", "2.0")), new MemoryStream(rebuilt), rebuilt.Length, BlobWriteCondition.None, default);
        var reindex = new ReindexService(repository, store, Inspector, NullLogger<ReindexService>.Instance);

        var changed = await reindex.ReindexAsync(null, default);
        var again = await reindex.ReindexAsync(null, default);

        Assert.Equal((2, 1, 0), (changed.Added, changed.Removed, changed.Failed));
        Assert.Equal((0, 0), (again.Added, again.Removed));
        Assert.Equal(
            [DistributionBuilder.WheelFilename("alpha", "2.0"), DistributionBuilder.WheelFilename("alpha", "3.0")],
            (await repository.GetProjectAsync("alpha", default))!.Files.Select(f => f.Filename));
        var alpha2 = (await repository.GetProjectAsync("alpha", default))!.Files[0];
        Assert.Equal((importedSha256, ">=3.8"), (alpha2.Digests.Sha256, alpha2.RequiresPython));
        var gamma = Assert.Single((await repository.GetProjectAsync("gamma", default))!.Files);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(copied)), gamma.Digests.Sha256);
        Assert.Null(await store.StatAsync(BucketKeys.Provenance("alpha", DistributionBuilder.WheelFilename("alpha", "1.0")), default));
        Assert.Null(gamma.ProvenanceSha256);
        Assert.Null(await repository.ReadProvenanceAsync("gamma", gamma.Filename, default));
        var metadata = Assert.IsType<BytesDownload>(await repository.GetDownloadAsync("gamma", gamma.Filename, DownloadPart.CoreMetadata, default));
        Assert.Equal(gamma.CoreMetadataSha256, Convert.ToHexStringLower(SHA256.HashData(metadata.Bytes)));
    }
}
