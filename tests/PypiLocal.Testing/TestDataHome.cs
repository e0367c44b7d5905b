using System.Runtime.CompilerServices;

namespace PypiLocal.Testing;

/// <summary>
/// Points the per-user data directory ($XDG_DATA_HOME, where the folder backend keeps its state by default) of this
/// test process, and of every server it starts, at a temporary directory removed when the process ends: tests never
/// write into the real user's data directory, and servers sharing a folder within one test share its state.
/// </summary>
public static class TestDataHome
{
    public static string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"pypilocal-test-data-{Environment.ProcessId}");

    // A test library is exactly the place for it: it must run before any test starts a server.
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries", Justification = "Test support, loaded by every test assembly.")]
    [ModuleInitializer]
    internal static void Initialize()
    {
        Directory.CreateDirectory(Path);
        Environment.SetEnvironmentVariable("XDG_DATA_HOME", Path);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
                // A server may still be closing a file; the OS cleans temp later.
            }
        };
    }
}
