using Microsoft.Extensions.Options;
using PypiLocal.Protocol.Names;

namespace PypiLocal.Core.Publishing;

/// <summary>Cross-field rules of the Publishing section, each error naming its key.</summary>
public sealed class PublishingOptionsValidator : IValidateOptions<PublishingOptions>
{
    public ValidateOptionsResult Validate(string? name, PublishingOptions options)
    {
        var errors = new List<string>();
        if (!options.AllowAnyPlatform && options.AllowedPlatformTags.Count == 0)
        {
            errors.Add("Publishing:AllowedPlatformTags must list at least one pattern when Publishing:AllowAnyPlatform is false.");
        }

        errors.AddRange(options.YankOnlyProjects
            .Where(pattern => string.IsNullOrWhiteSpace(pattern) || !ProjectName.IsValid(pattern.Replace("*", "x", StringComparison.Ordinal)))
            .Select(pattern => $"Publishing:YankOnlyProjects must hold project names or patterns with '*' (was '{pattern}')."));

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
