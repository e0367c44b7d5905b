namespace PypiLocal.Api.Tests.Support;

/// <summary>Reads as installers send them, and the headers of two answers put side by side.</summary>
internal static class ReadRequests
{
    public const string PipAccept = "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01";

    public static async Task<HttpResponseMessage> SendAsync(
        this HttpClient client, string method, string path, string? accept, string? ifNoneMatch = null, string? range = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        foreach (var (name, value) in new[] { ("Accept", accept), ("If-None-Match", ifNoneMatch), ("Range", range) })
        {
            if (value is not null)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return await client.SendAsync(request);
    }

    /// <summary>Every header but Date (the second may turn between two answers), sorted; <paramref name="query"/> taken out of a redirect's Location.</summary>
    public static List<string> HeadersOf(HttpResponseMessage response, string? query = null) =>
        [.. response.Headers.Concat(response.Content.Headers)
            .Where(h => h.Key != "Date")
            .Select(h => $"{h.Key}: {string.Join(", ", h.Value)}")
            .Select(line => query is null ? line : line.Replace(query, "", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];
}
