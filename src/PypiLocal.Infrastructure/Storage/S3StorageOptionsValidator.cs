using Microsoft.Extensions.Options;

namespace PypiLocal.Infrastructure.Storage;

/// <summary>Cross-field rules for <see cref="S3StorageOptions"/>, each error naming its configuration key.</summary>
internal sealed class S3StorageOptionsValidator : IValidateOptions<S3StorageOptions>
{
    // SigV4 presigned URLs live at most 7 days, and a URL signed at a window's start must outlive the next window.
    private static readonly TimeSpan MaxPresignWindow = TimeSpan.FromDays(3.5);

    public ValidateOptionsResult Validate(string? name, S3StorageOptions options)
    {
        var errors = new List<string>();
        if (options.Endpoint is null || options.Endpoint.Scheme is not ("http" or "https"))
        {
            errors.Add("ConnectionStrings:storage must name an http(s) Endpoint (Endpoint=http://host:9000;AccessKey=…;SecretKey=…).");
        }

        if (string.IsNullOrEmpty(options.AccessKey) || string.IsNullOrEmpty(options.SecretKey))
        {
            errors.Add("ConnectionStrings:storage must give AccessKey and SecretKey.");
        }

        if (options.PublicEndpoint is { } publicEndpoint && publicEndpoint.Scheme is not ("http" or "https"))
        {
            errors.Add($"{S3StorageOptions.SectionName}:PublicEndpoint must be an absolute http(s) URL.");
        }

        if (options.PresignWindow < TimeSpan.FromMinutes(1) || options.PresignWindow > MaxPresignWindow)
        {
            errors.Add($"{S3StorageOptions.SectionName}:PresignWindow must be between 00:01:00 and 3.12:00:00.");
        }

        if (options.RequestTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{S3StorageOptions.SectionName}:RequestTimeout must be positive.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
