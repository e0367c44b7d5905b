using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.Support;

/// <summary>
/// A running index over one backend, filled from a folder of distributions the way a user would:
/// the embedded mode serves the folder itself; the S3 mode runs <c>pypilocal import</c> into a real
/// S3 server (moto_server) and serves the bucket.
/// </summary>
public sealed class IndexBackend : IAsyncDisposable
{
    private readonly MotoServer? _store;

    private IndexBackend(PypiLocalServer server, MotoServer? store)
    {
        Server = server;
        _store = store;
    }

    public PypiLocalServer Server { get; }

    public static async Task<IndexBackend> StartAsync(string kind, string packages)
    {
        if (kind == "folder")
        {
            return new IndexBackend(await PypiLocalServer.ServeAsync(packages), null);
        }

        var store = await MotoServer.StartAsync();
        var environment = new Dictionary<string, string?> { ["ConnectionStrings__storage"] = store.ConnectionString };
        (await PypiLocalCommand.RunAsync(["import", packages], environment, TimeSpan.FromMinutes(3)))
            .EnsureSuccess("pypilocal import");
        return new IndexBackend(await PypiLocalServer.StartAsync(["serve"], environment), store);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }
}
