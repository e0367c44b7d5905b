namespace PypiLocal.Infrastructure.Tests.Caching;

/// <summary>
/// The Redis cache tests assert timing-dependent behaviour (hits within a lease, recovery after an outage)
/// and one of them runs a load generator: they run one class at a time, alone in this assembly, so they
/// never starve each other on a two-core machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RedisTimingCollection
{
    public const string Name = "Redis timing";
}
