using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using PypiLocal.Api.Http;

namespace PypiLocal.Api.Commands;

/// <summary>The management commands' HTTP path: calls a running server's <c>/api/projects</c> routes.</summary>
internal static class ManagementClient
{
    public static string PathFor(string project, string? version, string? filename, bool? yank)
    {
        var target = filename is not null
            ? $"api/projects/{Uri.EscapeDataString(project)}/files/{Uri.EscapeDataString(filename)}"
            : $"api/projects/{Uri.EscapeDataString(project)}/releases/{Uri.EscapeDataString(version!)}";
        return yank switch
        {
            true => target + "/yank",
            false => target + "/unyank",
            null => target,
        };
    }

    public static async Task<int> RunAsync(Uri server, string? user, string? password, string path, HttpMethod method, string? reason, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromMinutes(1) };
        using var request = new HttpRequestMessage(method, path);
        if (user is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        }

        if (reason is not null)
        {
            request.Content = JsonContent.Create(new ReasonRequest(reason), ApiJsonContext.Default.ReasonRequest);
        }

        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                await output.WriteLineAsync(MessageOf(body) ?? $"{(int)response.StatusCode} {response.ReasonPhrase}");
                return 0;
            }

            await error.WriteLineAsync($"{(int)response.StatusCode} {response.ReasonPhrase}");
            return 1;
        }
        catch (HttpRequestException e)
        {
            await error.WriteLineAsync($"Cannot reach {server}: {e.Message}");
            return 1;
        }
    }

    private static string? MessageOf(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("message", out var message) ? message.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The body of a yank: <c>{"reason": …}</c>.</summary>
    internal sealed record ReasonRequest(string Reason);
}
