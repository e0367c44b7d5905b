using Yarp.ReverseProxy.Configuration;

namespace PypiLocal.AppHost.Orchestration;

/// <summary>
/// The stable endpoint in front of the replicas (Aspire's DCP proxy). YARP balances per request; it is made
/// transparent like DCP's TCP proxy: the original Host header is kept and no X-Forwarded headers are added.
/// Only replicas whose /health passed are destinations.
/// </summary>
internal sealed class LoadBalancer(InMemoryConfigProvider config)
{
    public const string ClusterId = "api";

    public static IReadOnlyList<RouteConfig> Routes { get; } =
    [
        new RouteConfig
        {
            RouteId = "api",
            ClusterId = ClusterId,
            Match = new RouteMatch { Path = "{**catch-all}" },
            Transforms =
            [
                new Dictionary<string, string> { ["RequestHeaderOriginalHost"] = "true" },
                new Dictionary<string, string> { ["X-Forwarded"] = "Off" },
            ],
        },
    ];

    public static ClusterConfig Cluster(IReadOnlyDictionary<string, string> destinations) => new()
    {
        ClusterId = ClusterId,
        LoadBalancingPolicy = "RoundRobin",
        // Uploads of large wheels take longer than YARP's default 100 s idle timeout allows.
        HttpRequest = new Yarp.ReverseProxy.Forwarder.ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromMinutes(10) },
        Destinations = destinations.ToDictionary(d => d.Key, d => new DestinationConfig { Address = d.Value }),
    };

    public void SetDestinations(IReadOnlyDictionary<string, string> destinations) =>
        config.Update(Routes, [Cluster(destinations)]);
}
