using PypiLocal.Core.TrustedPublishing;

namespace PypiLocal.Core.Tests.TrustedPublishing;

public sealed class TrustedPublishingOptionsValidatorTests
{
    [Fact]
    public void A_publisher_of_an_unknown_issuer_without_claims_or_projects_fails_at_start_naming_each_key()
    {
        var options = new TrustedPublishingOptions
        {
            TokenLifetime = TimeSpan.Zero,
            Issuers = [new OidcIssuerSettings { Url = "token.actions.example" }],
            Publishers = [new TrustedPublisherSettings { Issuer = "https://elsewhere.example" }],
        };

        var failures = new TrustedPublishingOptionsValidator().Validate(null, options).Failures!;

        Assert.Contains(failures, f => f.StartsWith("TrustedPublishing:TokenLifetime", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("TrustedPublishing:Issuers:0:Url", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("TrustedPublishing:Publishers:0:Issuer", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("TrustedPublishing:Publishers:0:Claims", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("TrustedPublishing:Publishers:0:Projects", StringComparison.Ordinal));
    }

    [Fact]
    public void A_claim_ending_in_a_star_requires_its_prefix()
    {
        var publisher = new TrustedPublisherSettings { Claims = new() { ["workflow_ref"] = "acme/w/.github/workflows/release.yml@*" } };

        Assert.True(publisher.Matches(new Dictionary<string, string> { ["workflow_ref"] = "acme/w/.github/workflows/release.yml@refs/tags/v1" }));
        Assert.False(publisher.Matches(new Dictionary<string, string> { ["workflow_ref"] = "acme/w/.github/workflows/other.yml@refs/tags/v1" }));
        Assert.False(publisher.Matches(new Dictionary<string, string>()));
    }
}
