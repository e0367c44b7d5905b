using System.Globalization;

namespace PypiLocal.Testing;

/// <summary>
/// The real <c>pypilocal</c> process on a free loopback port, started as a user would
/// (<c>dotnet pypilocal.dll serve FOLDER --port P</c>, or the native executable of <see cref="RepositoryLayout.ServerCommand"/>),
/// ready once <c>/alive</c> answers; killed on dispose.
/// </summary>
public sealed class PypiLocalServer : IAsyncDisposable
{
    private readonly BackgroundProcess _process;

    private PypiLocalServer(BackgroundProcess process, int port)
    {
        _process = process;
        Port = port;
        BaseUrl = $"http://127.0.0.1:{port}";
    }

    public int Port { get; }

    public string BaseUrl { get; }

    public string IndexUrl => BaseUrl + "/simple/";

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the server printed so far.</summary>
    public string Log => _process.Log;

    /// <summary>The requests the server failed with an unhandled exception (a 500): each logged failure's first lines.</summary>
    public IReadOnlyList<string> UnhandledExceptions()
    {
        var lines = Log.Split('\n');
        return [.. lines
            .Select((line, i) => (line, i))
            .Where(l => l.line.StartsWith("fail: Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware", StringComparison.Ordinal))
            .Select(l => string.Join('\n', lines.Skip(l.i + 1).Take(4)))];
    }

    /// <summary>
    /// Starts several servers side by side; if any fails to start, the others are stopped before the failure is thrown,
    /// so a fixture whose start failed leaves no process behind.
    /// </summary>
    public static async Task<PypiLocalServer[]> StartAllAsync(IEnumerable<Task<PypiLocalServer>> starts)
    {
        Task<PypiLocalServer>[] started = [.. starts];
        try
        {
            return await Task.WhenAll(started);
        }
        catch
        {
            foreach (var start in started.Where(s => s.IsCompletedSuccessfully))
            {
                await start.Result.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>
    /// Starts <c>pypilocal</c> with the given arguments (port and loopback host added) and waits until it is alive. A port
    /// chosen here that another process takes between the check and the bind (test projects run side by side, and
    /// Aspire's orchestrator picks ports of its own) is given up for another.
    /// </summary>
    public static async Task<PypiLocalServer> StartAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, int? port = null)
    {
        string[] given = [.. arguments];
        for (var attempt = 1; ; attempt++)
        {
            var chosenPort = port ?? FreePort.Next();
            try
            {
                return await StartCommandAsync([.. given, "--port", chosenPort.ToString(CultureInfo.InvariantCulture), "--host", "127.0.0.1"], chosenPort, environment);
            }
            catch (InvalidOperationException e) when (port is null && attempt < 3 && e.Message.Contains($":{chosenPort}: address already in use", StringComparison.Ordinal))
            {
            }
        }
    }

    /// <summary>
    /// Starts <c>pypilocal</c> with exactly <paramref name="arguments"/> (nothing added: the caller's command line names the
    /// port), from <paramref name="workingDirectory"/>, optionally under a launcher such as <c>unshare</c>; ready once
    /// <c>/alive</c> answers on <paramref name="port"/>.
    /// </summary>
    public static async Task<PypiLocalServer> StartCommandAsync(
        IEnumerable<string> arguments,
        int port,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? workingDirectory = null,
        IReadOnlyList<string>? launcher = null)
    {
        var variables = new Dictionary<string, string?> { ["ASPNETCORE_ENVIRONMENT"] = "Production", ["DOTNET_NOLOGO"] = "1" };
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            variables[key] = value;
        }

        string[] command = [.. launcher ?? [], .. RepositoryLayout.ServerCommand, .. arguments];
        var process = BackgroundProcess.Start(command[0], command[1..], launcher is null ? "the .NET SDK" : $"util-linux ({command[0]})", variables, workingDirectory);
        var server = new PypiLocalServer(process, port);
        try
        {
            await WaitUntilAliveAsync(process, server.BaseUrl, "pypilocal");
            return server;
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Waits until a pypilocal started by <paramref name="process"/> (itself, or <c>dotnet run</c>) answers <c>/alive</c>
    /// at <paramref name="baseUrl"/>. Three nodes starting at once on a busy 2-core machine took over 30 s (load average
    /// 50), and the first answer of a debug build, compiling its whole pipeline, took more than 2 s there: a try that
    /// gives up sooner only starts again behind itself.
    /// </summary>
    public static async Task WaitUntilAliveAsync(BackgroundProcess process, string baseUrl, string name)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        await process.WaitUntilAsync(async () => (await http.GetAsync(baseUrl + "/alive")).IsSuccessStatusCode, TimeSpan.FromMinutes(2), name);
    }

    /// <summary>Serves one folder in the embedded mode.</summary>
    public static Task<PypiLocalServer> ServeAsync(string folder, params string[] extraArguments) =>
        StartAsync(["serve", folder, .. extraArguments]);

    /// <summary>Sends SIGTERM (a polite stop) and waits for the process to exit.</summary>
    public Task<int> StopAsync(TimeSpan timeout) => _process.TerminateAsync(timeout);

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
