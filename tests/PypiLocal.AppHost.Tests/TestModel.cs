using PypiLocal.AppHost.Hosting;

namespace PypiLocal.AppHost.Tests;

/// <summary>The real app model, built in-process with a clean environment, and the repository's paths.</summary>
internal static class TestModel
{
    public static DistributedApplicationBuilder Create(params string[] args)
    {
        var builder = new DistributedApplicationBuilder(args, _ => null);
        AppModel.Define(builder);
        return builder;
    }

    public static string RepositoryRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PypiLocal.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("PypiLocal.sln not found above the test output.");
    }
}
