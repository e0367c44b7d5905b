using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace PypiLocal.Testing;

/// <summary>
/// A real S3 server (moto_server, preinstalled with the pyenv Python) on a loopback port, checking the SigV4
/// signature of every request (environment.md): only the access key made for this server is accepted, so a
/// signing mistake fails the test with 403. It runs through <c>moto_server_checked.py</c>, which creates that key
/// before the first request and makes moto check the URL as sent (moto 5.2.1 checks a percent-decoded one and
/// refuses correct signatures of keys with '+' and of every listing by prefix) and serve presigned GETs, which
/// moto cannot check. The server can be stopped and started again on its port (the key stays), so nodes keep their
/// connection string through an outage; its objects are lost, unless it was started to keep them, as a real store
/// does over a restart.
/// </summary>
public sealed class MotoServer : IAsyncDisposable
{
    private readonly string? _stateFile;
    private readonly System.Text.StringBuilder _earlierLogs = new();
    private BackgroundProcess? _process;

    private MotoServer(int port, bool keepObjects)
    {
        Port = port;
        Endpoint = new Uri($"http://127.0.0.1:{port}");
        _stateFile = keepObjects ? Path.Combine(Path.GetTempPath(), $"pypilocal-moto-{port}-{Guid.NewGuid():N}.state") : null;
    }

    public int Port { get; }

    public Uri Endpoint { get; }

    public string AccessKey { get; } = "AKIA" + RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);

    public string SecretKey { get; } = RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/+", 40);

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Everything the server printed since its last start.</summary>
    public string Log => _process?.Log ?? "";

    /// <summary>Everything every run of the server printed, each stopped run with how it ended, for a soak's post-mortem.</summary>
    public string AllLogs => _earlierLogs + Log;

    /// <summary>The connection string the api reads as <c>ConnectionStrings:storage</c>.</summary>
    public string ConnectionString => $"Endpoint={Endpoint.AbsoluteUri.TrimEnd('/')};AccessKey={AccessKey};SecretKey={SecretKey}";

    /// <summary>
    /// Starts a server on a free port (or <paramref name="port"/>). With <paramref name="keepObjects"/> a stop saves
    /// its objects (a SIGTERM, after the write in progress) and the next start loads them.
    /// </summary>
    public static async Task<MotoServer> StartAsync(int? port = null, bool keepObjects = false)
    {
        var server = new MotoServer(port ?? FreePort.Next(), keepObjects);
        await server.StartAsync();
        return server;
    }

    /// <summary>Starts (again) on the same port with the same key; the objects of a previous run are gone unless kept.</summary>
    public async Task StartAsync()
    {
        _process = BackgroundProcess.Start(
            "python3",
            [Path.Combine(AppContext.BaseDirectory, "moto_server_checked.py"), "-H", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture)],
            "moto comes with the pyenv Python on these machines (environment.md); python3 must be that Python",
            new Dictionary<string, string?>
            {
                ["INITIAL_NO_AUTH_ACTION_COUNT"] = "0",
                ["PYPILOCAL_MOTO_ACCESS_KEY"] = AccessKey,
                ["PYPILOCAL_MOTO_SECRET_KEY"] = SecretKey,
                ["PYPILOCAL_MOTO_STATE"] = _stateFile,
            });

        // moto's own API needs no signature: it answers once the server serves.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await _process.WaitUntilAsync(
            async () => (await http.PostAsync(new Uri(Endpoint, "/moto-api/seed?a=1"), null)).IsSuccessStatusCode,
            TimeSpan.FromSeconds(60),
            "moto_server");
    }

    /// <summary>
    /// Stops the server and waits until its port is closed: SIGKILL (an abrupt outage, its objects are lost), or for
    /// a server that keeps its objects SIGTERM, which saves them first. Requests in flight fail either way.
    /// </summary>
    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        if (_stateFile is not null)
        {
            var exitCode = await _process.TerminateAsync(TimeSpan.FromSeconds(60));
            _earlierLogs.Append(_process.Log).AppendLine(CultureInfo.InvariantCulture, $"--- {DateTime.UtcNow:HH:mm:ss.fff} stopped by SIGTERM, exit code {exitCode} ---");
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"moto_server exited with {exitCode} while saving its objects:\n{_process.Log}");
            }
        }

        else
        {
            _earlierLogs.Append(_process.Log).AppendLine(CultureInfo.InvariantCulture, $"--- {DateTime.UtcNow:HH:mm:ss.fff} killed ---");
        }

        await _process.DisposeAsync();
        _process = null;
        await Eventually.TrueAsync(async () => !await AcceptsAsync(), TimeSpan.FromSeconds(10));
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }

        if (_stateFile is not null)
        {
            File.Delete(_stateFile);
        }
    }

    /// <summary>The request lines the server has logged so far in this run (moto logs one per request), e.g. <c>HEAD /pypilocal HTTP/1.1</c>.</summary>
    public IReadOnlyList<string> RequestLines =>
        [.. System.Text.RegularExpressions.Regex.Matches(_process?.Log ?? "", "\"((?:GET|HEAD|PUT|POST|DELETE) /[^\"]*)\"").Select(m => m.Groups[1].Value)];

    /// <summary>Every key in <paramref name="bucket"/>, listed by boto3 (a client independent of ours).</summary>
    public async Task<IReadOnlyList<string>> ListKeysAsync(string bucket = "pypilocal")
    {
        var listing = await ProcessRunner.RunAsync("python3", ["-c", $$"""
            import boto3
            s3 = boto3.client("s3", endpoint_url="{{Endpoint}}", aws_access_key_id="{{AccessKey}}", aws_secret_access_key="{{SecretKey}}", region_name="us-east-1")
            for page in s3.get_paginator("list_objects_v2").paginate(Bucket="{{bucket}}"):
                for item in page.get("Contents", []):
                    print(item["Key"])
            """]);
        return listing.EnsureSuccess("listing the bucket with boto3").StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The keys of the multipart uploads started in <paramref name="bucket"/> and neither completed nor aborted, listed by boto3.</summary>
    public async Task<IReadOnlyList<string>> ListOpenUploadsAsync(string bucket = "pypilocal")
    {
        var listing = await ProcessRunner.RunAsync("python3", ["-c", $$"""
            import boto3
            s3 = boto3.client("s3", endpoint_url="{{Endpoint}}", aws_access_key_id="{{AccessKey}}", aws_secret_access_key="{{SecretKey}}", region_name="us-east-1")
            for upload in s3.list_multipart_uploads(Bucket="{{bucket}}").get("Uploads", []):
                print(upload["Key"])
            """]);
        return listing.EnsureSuccess("listing the open multipart uploads with boto3").StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Deletes <paramref name="bucket"/> and everything in it through boto3, as a store that lost it would be.</summary>
    public async Task DeleteBucketAsync(string bucket)
    {
        var deletion = await ProcessRunner.RunAsync("python3", ["-c", $$"""
            import boto3
            s3 = boto3.resource("s3", endpoint_url="{{Endpoint}}", aws_access_key_id="{{AccessKey}}", aws_secret_access_key="{{SecretKey}}", region_name="us-east-1")
            s3.Bucket("{{bucket}}").objects.all().delete()
            s3.Bucket("{{bucket}}").delete()
            """]);
        deletion.EnsureSuccess($"deleting the bucket {bucket} with boto3");
    }

    private async Task<bool> AcceptsAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
