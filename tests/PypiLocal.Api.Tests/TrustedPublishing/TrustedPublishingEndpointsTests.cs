using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PypiLocal.Api.Tests.Support;

namespace PypiLocal.Api.Tests.TrustedPublishing;

/// <summary>The exchange's answers when no publisher is configured, or the payload is not what PyPI takes.</summary>
public sealed class TrustedPublishingEndpointsTests
{
    [Fact]
    public async Task Without_publishers_the_audience_is_403_and_a_mint_is_refused_as_not_enabled()
    {
        using var app = new PublishingApplication();
        using var http = app.CreateClient(user: null, password: null);

        using var audience = await http.GetAsync("/_/oidc/audience");
        using var mint = await http.PostAsJsonAsync("/_/oidc/mint-token", new { token = "x" });

        Assert.Equal(HttpStatusCode.Forbidden, audience.StatusCode);
        Assert.Equal("Trusted publishing functionality not enabled", (await audience.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, mint.StatusCode);
        Assert.Equal("not-enabled", (await mint.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_payload_that_is_not_a_token_object_is_invalid_payload()
    {
        var jwks = Path.Combine(Path.GetTempPath(), $"pypilocal-jwks-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(jwks, "{\"keys\":[]}");
        try
        {
            using var app = new PublishingApplication(new Dictionary<string, string>
            {
                ["TrustedPublishing:Issuers:0:Url"] = "https://issuer.example",
                ["TrustedPublishing:Issuers:0:JwksFile"] = jwks,
                ["TrustedPublishing:Publishers:0:Issuer"] = "https://issuer.example",
                ["TrustedPublishing:Publishers:0:Claims:repository"] = "acme/widgets",
                ["TrustedPublishing:Publishers:0:Projects:0"] = "widgets",
            });
            using var http = app.CreateClient(user: null, password: null);

            using var audience = await http.GetAsync("/_/oidc/audience");
            using var mint = await http.PostAsync("/_/oidc/mint-token", new StringContent("[\"not an object\"]"));

            Assert.Equal("pypilocal", (await audience.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("audience").GetString());
            Assert.Equal(HttpStatusCode.UnprocessableEntity, mint.StatusCode);
            Assert.Equal("invalid-payload", (await mint.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors")[0].GetProperty("code").GetString());
        }
        finally
        {
            File.Delete(jwks);
        }
    }
}
