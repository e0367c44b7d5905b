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

        _nodes.AddRange(await Task.WhenAll(_relays.Select((relay, i) => PypiLocalServer.StartAsync(
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
        // Node 0's index write reaches the store, its answer is held back, node 1 writes the index on top, then
        // node 0's connection drops: its read-back finds neither its own bytes nor the version it read, reads the
        // index again and finds its own entry there. That entry is this upload's, not another identical upload's.
        const string project = "late-answer";
        var dist = _root.Combine("dist-late-answer");
        var first = DistributionBuilder.Wheel(dist, project, "1.0");
        var second = DistributionBuilder.Wheel(dist, project, "1.1");
        var relay = _relays[0];
        var indexWrite = System.Text.Encoding.ASCII.GetBytes($"PUT /pypilocal/index/{project}.json ");
        var sent = relay.StallBefore(TcpRelay.Direction.ToServer, read => read.Span.StartsWith(indexWrite));
        var upload = PostAsync(_nodes[0], first, "1.0");
        await sent.WaitAsync(TimeSpan.FromSeconds(60));
        var answered = relay.StallBefore(TcpRelay.Direction.ToClient, read => read.Span.StartsWith("HTTP/1.1 "u8));
        relay.Restore();
        await answered.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(System.Net.HttpStatusCode.OK, await PostAsync(_nodes[1], second, "1.1"));
        relay.DropConnections();
        Assert.Equal(System.Net.HttpStatusCode.OK, await upload);

        await KeptUploads.AssertKeptAsync(_nodes, project, [first, second], "index write answered too late");
    }

    private static async Task<System.Net.HttpStatusCode> PostAsync(PypiLocalServer node, string wheel, string version)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        using var form = UploadForm.For(wheel, "late-answer", version);
        using var request = new HttpRequestMessage(HttpMethod.Post, node.BaseUrl + "/legacy/") { Content = form };
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
