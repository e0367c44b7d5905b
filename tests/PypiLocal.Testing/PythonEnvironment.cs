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

    /// <summary>
    /// A new environment: a copy of one made once per test process and never used itself, since <c>python3 -m venv</c>
    /// (which installs pip) costs seconds of CPU each time and a copy a fraction of one. <c>python -m pip</c> in the copy
    /// is the copy's own: a venv finds its prefix from where its interpreter is.
    /// </summary>
    public static async Task<PythonEnvironment> CreateAsync()
    {
        var template = await Template.Value;
        var folder = new TempFolder("pypilocal-venv");
        (await ProcessRunner.RunAsync("cp", ["-a", template, folder.Combine("venv")], timeout: TimeSpan.FromMinutes(2)))
            .EnsureSuccess("cp -a (the template virtual environment)");
        return new PythonEnvironment(folder);
    }

    private static readonly Lazy<Task<string>> Template = new(CreateTemplateAsync);

    private static async Task<string> CreateTemplateAsync()
    {
        var folder = new TempFolder("pypilocal-venv-template");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => folder.Dispose();
        var interpreter = ProcessRunner.Require("python3", "a Python 3 with venv (apt-get install -y python3-venv)");
        (await ProcessRunner.RunAsync(interpreter, ["-m", "venv", folder.Combine("venv")], timeout: TimeSpan.FromMinutes(3)))
            .EnsureSuccess("python3 -m venv");
        return folder.Combine("venv");
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
