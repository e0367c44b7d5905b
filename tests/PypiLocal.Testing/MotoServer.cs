namespace PypiLocal.Testing;

/// <summary>A real S3 server (moto_server, preinstalled with the pyenv Python) on a loopback port.</summary>
public sealed class MotoServer : IAsyncDisposable
{
    private readonly BackgroundProcess _process;

    private MotoServer(BackgroundProcess process, int port)
    {
        _process = process;
        Port = port;
        Endpoint = new Uri($"http://127.0.0.1:{port}");
    }

    public int Port { get; }

    public Uri Endpoint { get; }

    /// <summary>The connection string the api reads as <c>ConnectionStrings:storage</c> (moto accepts any keys).</summary>
    public string ConnectionString => $"Endpoint={Endpoint.AbsoluteUri.TrimEnd('/')};AccessKey=test-access;SecretKey=test-secret";

    public static async Task<MotoServer> StartAsync(int? port = null)
    {
        var chosen = port ?? FreePort.Next();
        var process = BackgroundProcess.Start(
            "moto_server",
            ["-H", "127.0.0.1", "-p", chosen.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            "moto_server comes with the pyenv Python on these machines (environment.md)");
        var server = new MotoServer(process, chosen);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await process.WaitUntilAsync(async () => { using var _ = await http.GetAsync(server.Endpoint); return true; }, TimeSpan.FromSeconds(30), "moto_server");
        return server;
    }

    /// <summary>The request lines the server has logged so far (moto logs one per request), e.g. <c>HEAD /pypilocal HTTP/1.1</c>.</summary>
    public IReadOnlyList<string> RequestLines =>
        [.. System.Text.RegularExpressions.Regex.Matches(_process.Log, "\"((?:GET|HEAD|PUT|POST|DELETE) /[^\"]*)\"").Select(m => m.Groups[1].Value)];

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
