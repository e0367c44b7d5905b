namespace PypiLocal.Testing;

/// <summary>Finds things in this repository's build output from a test assembly's location.</summary>
public static class RepositoryLayout
{
    /// <summary>The folder holding PypiLocal.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration the tests were built in (Debug or Release), read from the test assembly's path.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Split(Path.DirectorySeparatorChar).Contains("Release") ? "Release" : "Debug";

    /// <summary>Names a published native <c>pypilocal</c> (Native AOT) that every test starting the server runs instead of the built <c>pypilocal.dll</c>.</summary>
    public const string ServerExecutableVariable = "PYPILOCAL_SERVER_EXECUTABLE";

    /// <summary>
    /// How tests start <c>pypilocal</c>: <c>dotnet pypilocal.dll</c> of the same configuration, or the executable
    /// <see cref="ServerExecutableVariable"/> names (README, "Testing").
    /// </summary>
    public static IReadOnlyList<string> ServerCommand =>
        Environment.GetEnvironmentVariable(ServerExecutableVariable) is { Length: > 0 } executable
            ? [File.Exists(executable) ? Path.GetFullPath(executable) : throw new FileNotFoundException($"{ServerExecutableVariable} names {executable}, which does not exist.")]
            : [ProcessRunner.Require("dotnet", "the .NET SDK"), ApiAssembly];

    /// <summary>The built <c>pypilocal.dll</c> of the same configuration.</summary>
    public static string ApiAssembly
    {
        get
        {
            var path = Path.Combine(Root, "src", "PypiLocal.Api", "bin", Configuration, "net10.0", "pypilocal.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"Build the api first: {path} is missing.");
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PypiLocal.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("PypiLocal.sln not found above " + AppContext.BaseDirectory);
    }
}
