using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace PypiLocal.Core.Indexing;

public static class IndexServiceCollectionExtensions
{
    /// <summary>
    /// The <c>Index</c> section (link hash, fallback URL, base URL), checked at start with a message naming the key,
    /// and the <see cref="UnknownProjects"/> decision it drives.
    /// </summary>
    public static IServiceCollection AddIndexOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<IndexOptions>()
            .Bind(configuration.GetSection(IndexOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<IndexOptions>, IndexOptionsValidator>();
        services.AddSingleton<UnknownProjects>();
        return services;
    }
}
