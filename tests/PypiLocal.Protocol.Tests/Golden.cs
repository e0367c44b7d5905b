using System.Runtime.CompilerServices;
using System.Text;

namespace PypiLocal.Protocol.Tests;

/// <summary>Golden files under TestData/: compared byte for byte; PYPILOCAL_UPDATE_GOLDEN=1 rewrites them in the source tree.</summary>
internal static class Golden
{
    public static void AssertMatches(string name, byte[] actual, [CallerFilePath] string callerPath = "")
    {
        var expectedPath = Path.Combine(AppContext.BaseDirectory, "TestData", name);
        if (Environment.GetEnvironmentVariable("PYPILOCAL_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllBytes(Path.Combine(ProjectDirectory(callerPath), "TestData", name), actual);
            return;
        }

        Assert.True(File.Exists(expectedPath), $"Missing golden file {name}; run with PYPILOCAL_UPDATE_GOLDEN=1 to create it.");
        Assert.Equal(File.ReadAllText(expectedPath, Encoding.UTF8), Encoding.UTF8.GetString(actual));
        Assert.Equal(File.ReadAllBytes(expectedPath), actual);
    }

    private static string ProjectDirectory(string callerPath)
    {
        var directory = Path.GetDirectoryName(callerPath)!;
        while (!File.Exists(Path.Combine(directory, "PypiLocal.Protocol.Tests.csproj")))
        {
            directory = Path.GetDirectoryName(directory)!;
        }

        return directory;
    }
}
