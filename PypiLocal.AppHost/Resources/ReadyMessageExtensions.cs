using Microsoft.Extensions.Logging;

namespace PypiLocal.AppHost.Resources;

public static class ReadyMessageExtensions
{
    /// <summary>
    /// Prints the api's one stable URL (DCP's proxy in front of every replica) once it is healthy, beside the
    /// dashboard's login URL that Aspire prints.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithReadyMessage(this IResourceBuilder<ProjectResource> api)
    {
        var printed = 0;
        api.ApplicationBuilder.Eventing.Subscribe<ResourceReadyEvent>(api.Resource, (ready, _) =>
        {
            if (Interlocked.Exchange(ref printed, 1) == 0)
            {
                var url = api.Resource.GetEndpoint("http").Url;
                ready.Services.GetRequiredService<ILoggerFactory>().CreateLogger("PypiLocal.AppHost").LogInformation(
                    "The index is ready at {Url}/ (pip install --index-url {Url}/simple/ NAME; twine upload --repository-url {Url}/legacy/ dist/*)",
                    url, url, url);
            }

            return Task.CompletedTask;
        });
        return api;
    }
}
