namespace PypiLocal.Testing;

/// <summary>
/// A fresh Python virtual environment with its own pip, as a user's machine would have: pip installs
/// from our index only (<c>--index-url</c>, <c>--no-cache-dir</c>), never from PyPI.
/// </summary>
public sealed class PythonEnvironment : IDisposable
{
    private readonly TempFolder _folder;

    private PythonEnvironment(TempFolder folder)
    {
        _folder = folder;
    }

    public string Python => _folder.Combine("venv", "bin", "python");

    public static async Task<PythonEnvironment> CreateAsync(string python = "python3")
    {
        var folder = new TempFolder("pypilocal-venv");
        var interpreter = ProcessRunner.Require(python, "a Python 3 with venv (apt-get install -y python3-venv)");
        (await ProcessRunner.RunAsync(interpreter, ["-m", "venv", folder.Combine("venv")], timeout: TimeSpan.FromMinutes(2)))
            .EnsureSuccess("python3 -m venv");
        return new PythonEnvironment(folder);
    }

    /// <summary>Runs pip in this environment, quietly and without its cache or version check.</summary>
    public Task<ProcessResult> PipAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(
            Python,
            ["-m", "pip", "--disable-pip-version-check", "--no-input", .. arguments],
            new Dictionary<string, string?> { ["PIP_NO_CACHE_DIR"] = "1", ["PIP_CONFIG_FILE"] = "/dev/null" },
            TimeSpan.FromMinutes(3));

    /// <summary>pip install from the given index only.</summary>
    public Task<ProcessResult> InstallAsync(string indexUrl, params string[] requirements) =>
        PipAsync(["install", "--index-url", indexUrl, .. requirements]);

    /// <summary>Runs a snippet of Python and returns what it printed.</summary>
    public async Task<string> RunAsync(string code) =>
        (await ProcessRunner.RunAsync(Python, ["-c", code])).EnsureSuccess("python -c").StandardOutput.Trim();

    public void Dispose() => _folder.Dispose();
}
