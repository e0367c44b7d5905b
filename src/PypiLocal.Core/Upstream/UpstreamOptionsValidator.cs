using Microsoft.Extensions.Options;
using PypiLocal.Protocol.Names;

namespace PypiLocal.Core.Upstream;

/// <summary>Checks the <c>Upstream</c> section at start, naming the key of each bad value.</summary>
internal sealed class UpstreamOptionsValidator : IValidateOptions<UpstreamOptions>
{
    public ValidateOptionsResult Validate(string? name, UpstreamOptions options)
    {
        var errors = new List<string>();
        for (var i = 0; i < options.Indexes.Count; i++)
        {
            var index = options.Indexes[i];
            if (index.Url is not { IsAbsoluteUri: true } url || url.Scheme is not ("http" or "https"))
            {
                errors.Add($"Upstream:Indexes:{i}:Url must be an absolute http(s) URL of a Simple API root, e.g. https://pypi.org/simple/ (was '{index.Url}').");
            }

            if (index.Ttl <= TimeSpan.Zero || index.MinAge < TimeSpan.Zero)
            {
                errors.Add($"Upstream:Indexes:{i}: Ttl must be positive and MinAge not negative.");
            }
        }

        if (options.Ttl <= TimeSpan.Zero || options.NotFoundTtl <= TimeSpan.Zero || options.RequestTimeout <= TimeSpan.Zero)
        {
            errors.Add("Upstream:Ttl, Upstream:NotFoundTtl and Upstream:RequestTimeout must be positive.");
        }

        if (options.Policy.MinAge < TimeSpan.Zero)
        {
            errors.Add("Upstream:Policy:MinAge must not be negative.");
        }

        errors.AddRange(options.Allow.Concat(options.Deny).Where(p => !ProjectNamePatterns.IsValid(p))
            .Select(p => $"Upstream:Allow and Upstream:Deny take project names with * and ? wildcards (was '{p}')."));
        errors.AddRange(options.Projects.Where(p => !ProjectName.IsValid(p.Key) || p.Value.MinAge < TimeSpan.Zero)
            .Select(p => $"Upstream:Projects:{p.Key} must name a valid project, with a MinAge not negative."));
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
