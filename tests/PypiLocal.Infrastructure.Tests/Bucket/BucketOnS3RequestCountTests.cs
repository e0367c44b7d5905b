using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Catalog.Bucket;
using PypiLocal.Core.Storage;
using PypiLocal.Infrastructure.Storage;
using PypiLocal.Infrastructure.Tests.Support;
using PypiLocal.Protocol.Filenames;

namespace PypiLocal.Infrastructure.Tests.Bucket;

/// <summary>What the hot paths cost in real HTTP requests to the object store: no bucket checks, no HEAD before GET.</summary>
[Collection(MotoCollection.Name)]
public sealed class BucketOnS3RequestCountTests(MotoServerFixture moto) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pypilocal-count-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Cold_pages_and_downloads_cost_one_request_each_whatever_the_number_of_files()
    {
        var counter = new CountingHandler();
        var options = moto.Options();
        using var store = moto.CreateStore(options, handler: counter);
        var repository = new BucketRepository(store);
        for (var i = 0; i < 200; i++)
        {
            var path = Path.Combine(_folder, $"f{i}");
            await File.WriteAllTextAsync(path, $"file {i}");
            var bytes = await File.ReadAllBytesAsync(path);
            await repository.AddAsync(
                new NewDistribution(
                    new DistributionFile("many", $"many-1.{i}.tar.gz", $"1.{i}", DistributionKind.Sdist, bytes.Length, new FileDigests(Convert.ToHexStringLower(SHA256.HashData(bytes))), DateTimeOffset.UtcNow),
                    path,
                    null),
                false,
                default);
        }

        counter.Reset();
        var listing = await repository.GetProjectAsync("many", default);
        var pageRequests = counter.Requests;
        counter.Reset();
        var projects = await repository.ListProjectsAsync(default);
        var rootRequests = counter.Requests;
        counter.Reset();
        var download = await repository.GetDownloadAsync("many", "many-1.7.tar.gz", DownloadPart.File, default);
        var downloadRequests = counter.Requests;

        Assert.Equal(200, listing!.Files.Count);
        Assert.Equal($"GET /{options.Bucket}/index/many.json", Assert.Single(pageRequests));
        Assert.Equal(["many"], projects.Select(p => p.Project));
        Assert.Equal($"GET /{options.Bucket}", Assert.Single(rootRequests));
        Assert.IsType<RedirectDownload>(download);
        // Without the page cache beside it (unit level), the entry naming the file's key is read from the index.
        Assert.Equal($"GET /{options.Bucket}/index/many.json", Assert.Single(downloadRequests));
    }

    [Fact]
    public async Task An_upload_reads_the_index_once_writes_its_bytes_and_metadata_then_the_entry()
    {
        var counter = new CountingHandler();
        var options = moto.Options();
        using var store = moto.CreateStore(options, handler: counter);
        var repository = new BucketRepository(store);
        var path = Path.Combine(_folder, "upload.whl");
        await File.WriteAllTextAsync(path, "wheel bytes");
        var bytes = await File.ReadAllBytesAsync(path);
        var file = new DistributionFile("counted", "counted-1.0-py3-none-any.whl", "1.0", DistributionKind.Wheel, bytes.Length,
            new FileDigests(Convert.ToHexStringLower(SHA256.HashData(bytes))), DateTimeOffset.UtcNow, CoreMetadataSha256: "0");
        await repository.AddAsync(new NewDistribution(file with { Filename = "counted-0.9-py3-none-any.whl", Version = "0.9" }, path, "Name: counted"u8.ToArray()), false, default);
        counter.Reset();

        Assert.Equal(AddOutcome.Created, await repository.AddAsync(new NewDistribution(file, path, "Name: counted"u8.ToArray()), false, default));

        // GET index; PUT bytes and PUT metadata side by side (their order varies); PUT index If-Match the GET's ETag.
        var requests = counter.Requests;
        Assert.Equal(4, requests.Count);
        Assert.Equal($"GET /{options.Bucket}/index/counted.json", requests[0]);
        Assert.All(requests.Skip(1).Take(2), r => Assert.StartsWith($"PUT /{options.Bucket}/blobs/counted/", r, StringComparison.Ordinal));
        Assert.Equal($"PUT /{options.Bucket}/index/counted.json", requests[3]);
    }

    [Fact]
    public async Task A_store_that_never_answers_is_unavailable_after_the_request_timeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        using var store = moto.CreateStore(o =>
        {
            o.Endpoint = new Uri($"http://127.0.0.1:{port}");
            o.RequestTimeout = TimeSpan.FromSeconds(1);
        });

        var started = DateTime.UtcNow;
        await Assert.ThrowsAsync<StorageUnavailableException>(() => store.OpenReadAsync("index/x.json", default));

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
    }
}
