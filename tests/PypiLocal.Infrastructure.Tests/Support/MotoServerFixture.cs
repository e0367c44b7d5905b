using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PypiLocal.Infrastructure.Storage;

namespace PypiLocal.Infrastructure.Tests.Support;

/// <summary>
/// A real <c>moto_server</c> process on a free loopback port, shared by the S3 tests. A missing moto_server
/// fails the tests (it is preinstalled on every machine here, CI included), never skips them.
/// </summary>
public sealed class MotoServerFixture : IAsyncLifetime
{
    private Process? _process;

    public Uri Endpoint { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var port = FreePort();
        var start = new ProcessStartInfo("moto_server", ["-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        try
        {
            _process = Process.Start(start) ?? throw new InvalidOperationException("moto_server did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("moto_server is not on PATH (environment.md: it comes with the pyenv Python). The S3 tests need it.", e);
        }

        // Drain its output so it never blocks on a full pipe.
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        Endpoint = new Uri($"http://127.0.0.1:{port}");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var attempt = 0; attempt < 150; attempt++)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"moto_server exited with code {_process.ExitCode} before answering.");
            }

            try
            {
                using var response = await http.GetAsync(Endpoint);
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                await Task.Delay(200);
            }
        }

        throw new InvalidOperationException($"moto_server did not answer on {Endpoint} within 30 s.");
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Options for a fresh bucket of its own, created on first use.</summary>
    public S3StorageOptions Options(Action<S3StorageOptions>? configure = null)
    {
        var options = new S3StorageOptions
        {
            Endpoint = Endpoint,
            AccessKey = "test-access",
            SecretKey = "test-secret",
            Bucket = $"t-{Guid.NewGuid():N}",
        };
        configure?.Invoke(options);
        return options;
    }

    public S3BlobStore CreateStore(Action<S3StorageOptions>? configure = null, TimeProvider? time = null) =>
        CreateStore(Options(configure), time);

    public static S3BlobStore CreateStore(S3StorageOptions options, TimeProvider? time = null) =>
        new(Microsoft.Extensions.Options.Options.Create(options), time ?? TimeProvider.System, NullLogger<S3BlobStore>.Instance);

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
