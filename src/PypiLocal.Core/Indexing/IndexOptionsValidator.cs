using Microsoft.Extensions.Options;

namespace PypiLocal.Core.Indexing;

/// <summary>Every mistake in the <c>Index</c> section, each with its key, before the server takes a request.</summary>
internal sealed class IndexOptionsValidator : IValidateOptions<IndexOptions>
{
    public ValidateOptionsResult Validate(string? name, IndexOptions options)
    {
        var errors = new List<string>();
        try
        {
            _ = options.LinkHash;
        }
        catch (FormatException e)
        {
            errors.Add($"Index:HashAlgorithm: {e.Message}");
        }

        if (options.FallbackUrl is { Length: > 0 } fallback
            && (!Uri.TryCreate(fallback, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            errors.Add($"Index:FallbackUrl: '{fallback}' is not an absolute http(s) URL.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
