using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PypiLocal.Core.Storage;
using PypiLocal.Infrastructure.Storage;
using PypiLocal.Infrastructure.Tests.Support;

namespace PypiLocal.Infrastructure.Tests.Storage;

/// <summary>The start-up check that the store refuses conditional writes it cannot honour (moto does; s3rver does not).</summary>
[Collection(MotoCollection.Name)]
public sealed class ConditionalWriteCheckTests(MotoServerFixture moto)
{
    [Fact]
    public async Task Moto_honours_conditional_writes_and_the_probe_leaves_nothing_behind()
    {
        using var store = moto.CreateStore();

        Assert.True(await ConditionalWriteProbe.HonoursConditionsAsync(store, default));
        Assert.Empty(await store.ListAsync(ConditionalWriteProbe.KeyPrefix, default).ToListAsync());
    }

    [Fact]
    public async Task A_store_that_ignores_conditions_is_found_out()
    {
        Assert.False(await ConditionalWriteProbe.HonoursConditionsAsync(new ConditionIgnoringStore(), default));
    }

    [Fact]
    public async Task A_store_that_ignores_conditions_stops_the_node_when_they_are_required()
    {
        var lifetime = new Microsoft.Extensions.Hosting.Internal.ApplicationLifetime(NullLogger<Microsoft.Extensions.Hosting.Internal.ApplicationLifetime>.Instance);
        using var check = Check(new ConditionIgnoringStore(), require: true, lifetime);

        await check.StartAsync(default);

        Assert.False(await check.Verdict.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(lifetime.ApplicationStopping.IsCancellationRequested);
        Environment.ExitCode = 0;
    }

    [Fact]
    public async Task A_store_that_ignores_conditions_only_gets_a_warning_by_default()
    {
        var lifetime = new Microsoft.Extensions.Hosting.Internal.ApplicationLifetime(NullLogger<Microsoft.Extensions.Hosting.Internal.ApplicationLifetime>.Instance);
        using var check = Check(new ConditionIgnoringStore(), require: false, lifetime);

        await check.StartAsync(default);

        Assert.True(await check.Verdict.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.False(lifetime.ApplicationStopping.IsCancellationRequested);
    }

    [Fact]
    public async Task A_store_that_is_down_neither_holds_up_the_start_nor_stops_the_node()
    {
        using var store = moto.CreateStore(o => o.Endpoint = new Uri($"http://127.0.0.1:{MotoServerFixture.FreePort()}"));
        using var check = Check(store, require: true, new Microsoft.Extensions.Hosting.Internal.ApplicationLifetime(NullLogger<Microsoft.Extensions.Hosting.Internal.ApplicationLifetime>.Instance));

        await check.StartAsync(default).WaitAsync(TimeSpan.FromSeconds(1));
        await check.StopAsync(default);

        Assert.False(check.Verdict.IsCompleted);
    }

    private static ConditionalWriteCheck Check(IBlobStore store, bool require, IHostApplicationLifetime lifetime) =>
        new(store, Options.Create(new S3StorageOptions { Endpoint = new Uri("http://store.test"), RequireConditionalWrites = require }), lifetime, TimeProvider.System, NullLogger<ConditionalWriteCheck>.Instance);

    /// <summary>An object store like s3rver: conditions are accepted and ignored.</summary>
    private sealed class ConditionIgnoringStore : IBlobStore
    {
        private readonly InMemoryBlobStore _inner = new();

        public Task<BlobInfo?> StatAsync(string key, CancellationToken cancellationToken) => _inner.StatAsync(key, cancellationToken);

        public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken) => _inner.OpenReadAsync(key, cancellationToken);

        public Task<VersionedContent?> ReadVersionAsync(string key, CancellationToken cancellationToken) => _inner.ReadVersionAsync(key, cancellationToken);

        public Task<BlobWriteResult> PutAsync(string key, Stream content, long length, BlobWriteCondition condition, CancellationToken cancellationToken) =>
            _inner.PutAsync(key, content, length, BlobWriteCondition.None, cancellationToken);

        public Task DeleteAsync(string key, CancellationToken cancellationToken) => _inner.DeleteAsync(key, cancellationToken);

        public IAsyncEnumerable<BlobInfo> ListAsync(string prefix, CancellationToken cancellationToken) => _inner.ListAsync(prefix, cancellationToken);

        public ValueTask<Uri?> GetReadUriAsync(string key, CancellationToken cancellationToken) => _inner.GetReadUriAsync(key, cancellationToken);
    }
}
