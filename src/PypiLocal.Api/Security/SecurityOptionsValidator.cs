using System.Net;
using Microsoft.Extensions.Options;

namespace PypiLocal.Api.Security;

/// <summary>Refuses to start with a public URL, proxy or image source that would be silently ignored.</summary>
internal sealed class SecurityOptionsValidator : IValidateOptions<SecurityOptions>
{
    public ValidateOptionsResult Validate(string? name, SecurityOptions options)
    {
        var errors = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.PublicUrl) && !IsHttpUrl(options.PublicUrl))
        {
            errors.Add($"Security:PublicUrl: '{options.PublicUrl}' is not an absolute http(s) URL such as https://pypi.example.com/.");
        }

        for (var i = 0; i < options.TrustedProxies.Count; i++)
        {
            if (!IPAddress.TryParse(options.TrustedProxies[i], out _) && !IPNetwork.TryParse(options.TrustedProxies[i], out _))
            {
                errors.Add($"Security:TrustedProxies:{i}: '{options.TrustedProxies[i]}' is neither an IP address nor a network such as 10.0.0.0/8.");
            }
        }

        for (var i = 0; i < options.ImageSources.Count; i++)
        {
            if (!ImageSources.IsValidSource(options.ImageSources[i]))
            {
                errors.Add($"Security:ImageSources:{i}: '{options.ImageSources[i]}' is neither an origin such as https://img.shields.io nor 'https:'.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool IsHttpUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
