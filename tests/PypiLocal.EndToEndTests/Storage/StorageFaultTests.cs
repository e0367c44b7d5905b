using System.Net;
using PypiLocal.EndToEndTests.Publishing;
using PypiLocal.EndToEndTests.Support;
using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.Storage;

/// <summary>
/// The fault suite's default part: twine uploads through three nodes while their connections to the object
/// store (moto_server, checking signatures) are cut, stalled or corrupted by a relay. Afterwards every upload
/// acknowledged with 200 is listed and downloads with its sha256, and every refused one succeeds when retried:
/// nothing acknowledged is lost and nothing left behind blocks a retry.
/// </summary>
public sealed class StorageFaultTests : IAsyncLifetime
{
    private const int UploadsPerFault = 6;

    private readonly TempFolder _root = new("pypilocal-faults");
    private readonly List<TcpRelay> _relays = [];
    private readonly List<PypiLocalServer> _nodes = [];
    private MotoServer _moto = null!;

    public async Task InitializeAsync()
    {
        var passwords = _root.Combine("htpasswd");
        await Twine.WritePasswordsAsync(passwords);
        _moto = await MotoServer.StartAsync();
        for (var i = 0; i < 3; i++)
        {
            _relays.Add(TcpRelay.Start(_moto.Port));
        }

        _nodes.AddRange(await PypiLocalServer.StartAllAsync(_relays.Select((relay, i) => PypiLocalServer.StartAsync(
            ["serve", _root.Combine("unused"), "-P", passwords],
            new Dictionary<string, string?>
            {
                ["ConnectionStrings__storage"] = $"Endpoint=http://127.0.0.1:{relay.Port};AccessKey={_moto.AccessKey};SecretKey={_moto.SecretKey}",
                ["Publishing__StagingDirectory"] = Directory.CreateDirectory(_root.Combine($"staging-{i}")).FullName,

                // A stalled store fails a request after this, so the suite sees refusals rather than waits.
                ["Storage__S3__RequestTimeout"] = "00:00:06",
            }))));
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        foreach (var relay in _relays)
        {
            await relay.DisposeAsync();
        }

        await _moto.DisposeAsync();
        _root.Dispose();
    }

    [Theory]
    [InlineData("cut")]
    [InlineData("stall")]
    [InlineData("corrupt")]
    public async Task Acknowledged_uploads_are_listed_with_their_hash_and_refused_ones_succeed_when_retried(string fault)
    {
        var dist = _root.Combine("dist-" + fault);
        var wheels = Enumerable.Range(0, UploadsPerFault)
            .Select(i => DistributionBuilder.Wheel(dist, $"fault-{fault}", $"1.0.{i}", paddingBytes: 2 * 1024 * 1024))
            .ToList();

        Inject(fault);
        var uploads = wheels.Select((wheel, i) => TwineAsync(_nodes[i % _nodes.Count], wheel)).ToList();

        // The fault lasts until the first upload has its answer, so the others meet it, its end, or neither.
        await Task.WhenAny(uploads);
        foreach (var relay in _relays)
        {
            relay.Restore();
        }

        var results = await Task.WhenAll(uploads);
        var refused = wheels.Where((_, i) => results[i].ExitCode != 0).ToList();
        foreach (var wheel in refused)
        {
            (await TwineAsync(_nodes[0], wheel)).EnsureSuccess($"retrying {Path.GetFileName(wheel)} after the fault ({fault})");
        }

        // Every wheel, acknowledged the first time or on retry, is listed with its hash by every node and downloads
        // through every node with that hash.
        await KeptUploads.AssertKeptAsync(_nodes, $"fault-{fault}", wheels, fault);
    }

    [Fact]
    public async Task An_upload_whose_index_write_was_answered_too_late_keeps_its_bytes_though_another_node_wrote_the_index_since()
    {
        // Node 0's read-back finds neither its own bytes nor the version it read, reads the index again and finds
        // its own entry there. That entry is this upload's, not another identical upload's.
        const string project = "late-answer";
        var dist = _root.Combine("dist-" + project);
        var first = DistributionBuilder.Wheel(dist, project, "1.0");
        var second = DistributionBuilder.Wheel(dist, project, "1.1");

        var upload = await AnsweredTooLateAsync(project, () => PostAsync(_nodes[0], project, first, "1.0"), (second, "1.1"));

        Assert.Equal(HttpStatusCode.OK, upload);
        await KeptUploads.AssertKeptAsync(_nodes, project, [first, second], "index write answered too late");
    }

    [Fact]
    public async Task A_delete_whose_index_write_was_answered_too_late_is_acknowledged_and_takes_the_bytes_away()
    {
        const string project = "late-delete";
        var dist = _root.Combine("dist-" + project);
        var deleted = DistributionBuilder.Wheel(dist, project, "1.0");
        var other = DistributionBuilder.Wheel(dist, project, "1.1");
        Assert.Equal(HttpStatusCode.OK, await PostAsync(_nodes[0], project, deleted, "1.0"));
        var filename = Path.GetFileName(deleted);

        var delete = await AnsweredTooLateAsync(project, () => SendAsync(_nodes[0], HttpMethod.Delete, $"/api/projects/{project}/files/{filename}"), (other, "1.1"));

        // Deleted, so acknowledged as such (not 404), and its bytes go with its entry rather than waiting for the sweep.
        Assert.Equal(HttpStatusCode.OK, delete);
        await KeptUploads.AssertKeptAsync(_nodes, project, [other], "delete answered too late");
        Assert.DoesNotContain(await _moto.ListKeysAsync(), key => key.StartsWith($"blobs/{project}/", StringComparison.Ordinal) && key.Contains(filename, StringComparison.Ordinal));
    }

    /// <summary>
    /// Runs <paramref name="request"/> through node 0 so that its index write reaches the store but the answer is held
    /// back; meanwhile node 1 uploads <paramref name="meanwhile"/> to the same project (another index write on top);
    /// then node 0's store connections drop, and the answer node 0 gives is returned.
    /// </summary>
    private async Task<HttpStatusCode> AnsweredTooLateAsync(string project, Func<Task<HttpStatusCode>> request, (string Wheel, string Version) meanwhile)
    {
        var relay = _relays[0];
        var indexWrite = System.Text.Encoding.ASCII.GetBytes($"PUT /pypilocal/index/{project}.json ");
        var sent = relay.StallBefore(TcpRelay.Direction.ToServer, read => read.Span.StartsWith(indexWrite));
        var answer = request();
        await sent.WaitAsync(TimeSpan.FromSeconds(60));

        // The index write is the only request in flight on node 0's connections: the first answer back is its.
        var answered = relay.StallBefore(TcpRelay.Direction.ToClient, read => read.Span.StartsWith("HTTP/1.1 "u8));
        relay.Restore();
        await answered.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.OK, await PostAsync(_nodes[1], project, meanwhile.Wheel, meanwhile.Version));
        relay.DropConnections();
        return await answer;
    }

    private static Task<HttpStatusCode> PostAsync(PypiLocalServer node, string project, string wheel, string version) =>
        SendAsync(node, HttpMethod.Post, "/legacy/", UploadForm.For(wheel, project, version));

    private static async Task<HttpStatusCode> SendAsync(PypiLocalServer node, HttpMethod method, string path, HttpContent? content = null)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        using var request = new HttpRequestMessage(method, node.BaseUrl + path) { Content = content };
        request.Headers.Authorization = UploadForm.Basic(Twine.User, Twine.Password);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private void Inject(string fault)
    {
        foreach (var relay in _relays)
        {
            switch (fault)
            {
                case "cut": relay.Cut(); break;
                case "stall": relay.Stall(); break;

                // One byte flipped into the first upload body each node sends (past the request headers).
                default: relay.Corrupt(TcpRelay.Direction.ToServer, 64 * 1024); break;
            }
        }
    }

    private Task<ProcessResult> TwineAsync(PypiLocalServer node, string wheel) => Twine.UploadAsync(node.BaseUrl + "/legacy/", _root.Path, wheel);
}
