using System.Net.Sockets;
using PypiLocal.Core.Upstream;

namespace PypiLocal.Core.Tests.Upstream;

/// <summary>What counts as the upstream failing (answered as a 502 or from what was kept), rather than as a bug (a 500).</summary>
public sealed class UpstreamFailureTests
{
    public static TheoryData<Exception> Failures => new()
    {
        new HttpRequestException("connection refused"),
        new IOException("the response ended early"),
        new SocketException((int)SocketError.NotConnected), // a connection reset as it was made, read for its remote end point
        new TaskCanceledException("no answer in time"),
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Network_failures_and_timeouts_are_the_upstream_failing(Exception e) =>
        Assert.True(UpstreamClient.IsFailure(e, CancellationToken.None));

    [Fact]
    public void A_cancellation_by_our_own_caller_is_not_a_failure()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.False(UpstreamClient.IsFailure(new TaskCanceledException(), cancelled.Token));
    }

    [Fact]
    public void A_bug_is_not_the_upstream_failing() =>
        Assert.False(UpstreamClient.IsFailure(new InvalidOperationException("a bug"), CancellationToken.None));
}
