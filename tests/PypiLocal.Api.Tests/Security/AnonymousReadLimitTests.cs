using System.Net;
using PypiLocal.Api.Tests.Support;
using PypiLocal.Testing;

namespace PypiLocal.Api.Tests.Security;

/// <summary>The optional per-address cap on reads without credentials (off by default).</summary>
public sealed class AnonymousReadLimitTests
{
    [Theory]
    [InlineData("/simple/")]
    [InlineData("/simple/solo/")] // answered by the read shortcut, which runs after the limit
    [InlineData("/packages/solo/solo-1.0-py3-none-any.whl.metadata")]
    public async Task Past_the_limit_anonymous_reads_get_429_with_retry_after_and_reads_with_credentials_do_not_count(string path)
    {
        using var app = new PublishingApplication(new Dictionary<string, string> { ["RateLimit:AnonymousReadsPerMinute"] = "2" });
        DistributionBuilder.Wheel(app.Folder, "solo", "1.0");
        using var anonymous = app.CreateClient(user: null);
        using var alice = app.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(path)).StatusCode);
        using var refused = await anonymous.GetAsync(path);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task Off_by_default()
    {
        using var app = new PublishingApplication();
        using var anonymous = app.CreateClient(user: null);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/simple/")).StatusCode);
        }
    }
}
