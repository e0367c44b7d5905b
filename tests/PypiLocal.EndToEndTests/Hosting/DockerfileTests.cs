using System.Xml.Linq;

using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.Hosting;

/// <summary>No Docker engine here: the Dockerfile is checked as text against the projects it must build.</summary>
public sealed class DockerfileTests
{
    private static readonly string Dockerfile = File.ReadAllText(Path.Combine(RepositoryLayout.Root, "Dockerfile"));

    [Fact]
    public void Every_project_the_api_builds_from_is_copied_before_restore()
    {
        var restore = Dockerfile.IndexOf("RUN dotnet restore", StringComparison.Ordinal);
        foreach (var project in ApiProjectClosure())
        {
            var relative = Path.GetRelativePath(RepositoryLayout.Root, project).Replace('\\', '/');
            var copy = Dockerfile.IndexOf($"COPY {relative} ", StringComparison.Ordinal);
            Assert.True(copy >= 0 && copy < restore, $"The Dockerfile does not copy {relative} before dotnet restore.");
        }
    }

    [Fact]
    public void Image_runs_the_native_server_as_non_root_with_an_exec_form_entrypoint()
    {
        var final = Dockerfile[Dockerfile.LastIndexOf("FROM ", StringComparison.Ordinal)..];

        Assert.Contains("FROM mcr.microsoft.com/dotnet/runtime-deps:", final, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^USER \$APP_UID$", final);
        // Exec form (a JSON array), so SIGTERM reaches the server rather than a shell.
        Assert.Matches(@"(?m)^ENTRYPOINT \[""/app/pypilocal""\]$", final);
        Assert.Contains("EXPOSE 8080", final, StringComparison.Ordinal);
    }

    private static List<string> ApiProjectClosure()
    {
        var pending = new Stack<string>([Path.Combine(RepositoryLayout.Root, "src", "PypiLocal.Api", "PypiLocal.Api.csproj")]);
        var seen = new List<string>();
        while (pending.TryPop(out var project))
        {
            project = Path.GetFullPath(project);
            if (seen.Contains(project))
            {
                continue;
            }
            seen.Add(project);
            foreach (var reference in XDocument.Load(project).Descendants("ProjectReference"))
            {
                pending.Push(Path.Combine(Path.GetDirectoryName(project)!, reference.Attribute("Include")!.Value));
            }
        }
        return seen;
    }
}
