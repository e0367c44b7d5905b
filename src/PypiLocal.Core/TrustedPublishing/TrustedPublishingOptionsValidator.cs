using Microsoft.Extensions.Options;
using PypiLocal.Protocol.Names;

namespace PypiLocal.Core.TrustedPublishing;

/// <summary>Checks the TrustedPublishing section at start, each error naming its key.</summary>
public sealed class TrustedPublishingOptionsValidator : IValidateOptions<TrustedPublishingOptions>
{
    private const string Section = TrustedPublishingOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, TrustedPublishingOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Audience))
        {
            errors.Add($"{Section}:Audience must not be empty.");
        }

        if (options.TokenLifetime <= TimeSpan.Zero || options.TokenLifetime > TimeSpan.FromDays(1))
        {
            errors.Add($"{Section}:TokenLifetime must be positive and at most a day (was {options.TokenLifetime}).");
        }

        for (var i = 0; i < options.Issuers.Count; i++)
        {
            var issuer = options.Issuers[i];
            if (!Uri.TryCreate(issuer.Url, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
            {
                errors.Add($"{Section}:Issuers:{i}:Url must be the issuer's http(s) URL, as its tokens carry it in 'iss' (was '{issuer.Url}').");
            }

            if (issuer.JwksFile is { Length: > 0 } file && !File.Exists(file))
            {
                errors.Add($"{Section}:Issuers:{i}:JwksFile names no file ('{file}').");
            }
        }

        for (var i = 0; i < options.Publishers.Count; i++)
        {
            var publisher = options.Publishers[i];
            if (!options.Issuers.Any(issuer => issuer.Url == publisher.Issuer))
            {
                errors.Add($"{Section}:Publishers:{i}:Issuer must be the Url of one of {Section}:Issuers (was '{publisher.Issuer}').");
            }

            if (publisher.Claims.Count == 0)
            {
                errors.Add($"{Section}:Publishers:{i}:Claims must require at least one claim (such as repository).");
            }

            if (publisher.Projects.Count == 0 || publisher.Projects.Any(p => !ProjectName.IsValid(p)))
            {
                errors.Add($"{Section}:Publishers:{i}:Projects must list the valid project names it may publish.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
