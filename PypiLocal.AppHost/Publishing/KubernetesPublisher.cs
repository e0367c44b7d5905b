using PypiLocal.AppHost.Hosting;

namespace PypiLocal.AppHost.Publishing;

internal static class KubernetesPublisher
{
    public static string Publish(DistributedApplicationBuilder builder, string outputPath) => throw new NotImplementedException();
}
