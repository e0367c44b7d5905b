using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PypiLocal.Api.Publishing;
using PypiLocal.Core.Attestations;
using PypiLocal.Core.Auth;
using PypiLocal.Core.Publishing;

namespace Microsoft.Extensions.DependencyInjection;

public static class PublishingServiceCollectionExtensions
{
    /// <summary>
    /// Uploads, removal, yanking and accounts (sections <c>Publishing</c>, <c>Auth</c> and <c>Attestations</c>), on whatever
    /// <c>IPackageRepository</c> and <c>IPageCache</c> are registered.
    /// </summary>
    public static IServiceCollection AddPublishing(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PublishingOptions>()
            .Bind(configuration.GetSection(PublishingOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<AuthOptions>()
            .Bind(configuration.GetSection(AuthOptions.SectionName))
            .PostConfigure(o => o.Authenticate = ReadList(configuration.GetSection(AuthOptions.SectionName).GetSection(nameof(AuthOptions.Authenticate))) ?? o.Authenticate)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PublishingOptions>, PublishingOptionsValidator>());
        services.AddOptions<AttestationOptions>()
            .Bind(configuration.GetSection(AttestationOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AttestationOptions>, AttestationOptionsValidator>());
        services.TryAddSingleton(sp => new AttestationVerifier(AttestationTrustRoot.Load(sp.GetRequiredService<IOptions<AttestationOptions>>().Value)));

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<HtpasswdFile>();
        services.TryAddSingleton<ITokenStore, FileTokenStore>();
        services.TryAddSingleton<IndexAuthenticator>();
        services.TryAddSingleton<UploadStager>();
        services.TryAddSingleton<UploadValidator>();
        services.TryAddSingleton<UploadFormReader>();
        services.TryAddSingleton<UploadService>();
        services.TryAddSingleton<PackageManagementService>();
        return services;
    }

    // "Auth:Authenticate" may be a string ("update,download") or, from JSON, an array of words.
    private static string? ReadList(IConfigurationSection section)
    {
        var items = section.GetChildren().Select(c => c.Value).OfType<string>().ToList();
        return items.Count > 0 ? string.Join(',', items) : null;
    }
}
