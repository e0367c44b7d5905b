namespace PypiLocal.AppHost.Resources;

public static class KubernetesPublishingExtensions
{
    public static IDistributedApplicationBuilder AddKubernetesPublishing(this IDistributedApplicationBuilder builder) => builder;
}
