using System.Text.Json;

namespace PypiLocal.Core.Auth;

/// <summary>The token file of earlier releases (<c>Auth:TokensFile</c>): <c>{"tokens": [ApiToken…]}</c>, read to import it.</summary>
internal static class LegacyTokenFile
{
    public static IReadOnlyList<ApiToken> Read(string path) =>
        File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllBytes(path), AuthJsonContext.Default.Content)?.Tokens ?? [] : [];

    internal sealed record Content(IReadOnlyList<ApiToken>? Tokens);
}
