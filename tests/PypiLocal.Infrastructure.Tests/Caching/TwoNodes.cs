using PypiLocal.Infrastructure.Caching;

namespace PypiLocal.Infrastructure.Tests.Caching;

/// <summary>Two "nodes": separate connections to one Redis under one key prefix.</summary>
internal sealed class TwoNodes(RedisPageCache a, RedisPageCache b) : IAsyncDisposable
{
    public RedisPageCache A { get; } = a;

    public RedisPageCache B { get; } = b;

    public async ValueTask DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
    }
}
