using System.Net;
using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.Storage;

/// <summary>
/// The uploads a fault is injected into: a few workers post distinct wheels of one project as twine does, each to the
/// next of several nodes in turn, and record every answer until stopped. Each worker paces itself, as CI jobs do, and
/// backs off after a refusal, so a fault of some seconds leaves tens of wheels to check, not thousands.
/// </summary>
internal sealed class UploadLoad : IAsyncDisposable
{
    private const int Workers = 2;
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan BackOff = TimeSpan.FromSeconds(1);

    private readonly IReadOnlyList<PypiLocalServer> _nodes;
    private readonly string _dist;
    private readonly string _project;
    private readonly List<Attempt> _attempts = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly Task[] _workers;
    private int _next;

    private UploadLoad(IReadOnlyList<PypiLocalServer> nodes, string dist, string project)
    {
        _nodes = nodes;
        _dist = dist;
        _project = project;
        _workers = [.. Enumerable.Range(0, Workers).Select(_ => Task.Run(RunAsync))];
    }

    /// <summary>One upload's answer: 0 as the status when no answer came (the connection failed).</summary>
    public sealed record Attempt(string Wheel, string Node, int Status, string Reason, bool RetryAfter)
    {
        public bool Acknowledged => Status == (int)HttpStatusCode.OK;
    }

    public static UploadLoad Start(IReadOnlyList<PypiLocalServer> nodes, string dist, string project) => new(nodes, dist, project);

    /// <summary>The answers so far.</summary>
    public IReadOnlyList<Attempt> Attempts
    {
        get
        {
            lock (_attempts)
            {
                return [.. _attempts];
            }
        }
    }

    /// <summary>Waits (with a deadline) until <paramref name="count"/> more answers than now matching <paramref name="which"/> came.</summary>
    public async Task WaitForMoreAsync(int count, Func<Attempt, bool> which, string what)
    {
        var target = Attempts.Count(which) + count;
        Assert.True(
            await Eventually.TrueAsync(() => Attempts.Count(which) >= target, TimeSpan.FromSeconds(90)),
            $"the uploads did not reach {count} more {what} in time; answers so far: {Describe(Attempts)}");
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
    }

    /// <summary>The answers counted by status and reason, for messages.</summary>
    public static string Describe(IEnumerable<Attempt> attempts) => string.Join("; ", attempts.GroupBy(a => $"{a.Status} {a.Reason}").Select(g => $"{g.Count()} × {g.Key}"));

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _http.Dispose();
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var n = Interlocked.Increment(ref _next);
            var node = _nodes[n % _nodes.Count];

            // Every fourth wheel is large enough to be in flight when the fault comes.
            var wheel = DistributionBuilder.Wheel(_dist, _project, $"1.{n}", paddingBytes: n % 4 == 0 ? 512 * 1024 : 0);
            var attempt = await PostAsync(node, wheel);
            Record(attempt);
            try
            {
                await Task.Delay(attempt.Acknowledged ? Pace : BackOff, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Posts one wheel to <paramref name="node"/> (also after <see cref="StopAsync"/>, for retries).</summary>
    public async Task<Attempt> PostAsync(PypiLocalServer node, string wheel)
    {
        try
        {
            using var form = UploadForm.For(wheel, _project, Path.GetFileName(wheel).Split('-')[1]);
            using var request = new HttpRequestMessage(HttpMethod.Post, node.BaseUrl + "/legacy/") { Content = form };
            request.Headers.Authorization = UploadForm.Basic(Support.Twine.User, Support.Twine.Password);
            using var response = await _http.SendAsync(request);
            return new Attempt(wheel, node.BaseUrl, (int)response.StatusCode, response.ReasonPhrase ?? "", response.Headers.RetryAfter is not null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return new Attempt(wheel, node.BaseUrl, 0, e.Message, false);
        }
    }

    private void Record(Attempt attempt)
    {
        lock (_attempts)
        {
            _attempts.Add(attempt);
        }
    }
}
