using System.CommandLine;

namespace PypiLocal.Api.Commands;

/// <summary>
/// pypiserver's other command, <c>pypi-server update</c> (newer PyPI releases of the folder's packages), which PypiLocal
/// does not have: a script that calls it gets a clear refusal instead of a server started on the default folder.
/// </summary>
internal static class UpdateCommand
{
    public static Command Create()
    {
        var command = new Command("update", "pypiserver's `pypi-server update`: not available in PypiLocal (it says so and exits with 2).");
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(result =>
        {
            result.InvocationConfiguration.Error.WriteLine(
                "pypilocal update: error: pypiserver's `update` (checking PyPI for newer versions of the folder's packages) is not available in PypiLocal; use `pip download -d PACKAGES_DIRECTORY PKG` to add a newer version.");
            return 2;
        });
        return command;
    }
}
