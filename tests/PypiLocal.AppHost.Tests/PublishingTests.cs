using System.Text;
using System.Text.RegularExpressions;
using PypiLocal.Testing;
using YamlDotNet.RepresentationModel;

namespace PypiLocal.AppHost.Tests;

/// <summary>
/// The deployment artifacts, written by the AppHost exactly as the README says (Aspire's manifest publisher,
/// our Kubernetes step), are the committed ones; the Kubernetes output renders with kubectl and holds no credential.
/// </summary>
public sealed partial class PublishingTests
{
    private static readonly string Committed = Path.Combine(RepositoryLayout.Root, "deploy", "kubernetes");

    [Fact]
    public async Task The_committed_aspire_manifest_is_what_Aspire_writes_now()
    {
        // Beside the committed one, so that the relative project paths in it are the same.
        var fresh = Path.Combine(RepositoryLayout.Root, $".aspire-manifest.{Guid.NewGuid():N}.json");
        try
        {
            (await AppHostAsync("--publisher", "manifest", "--output-path", fresh)).EnsureSuccess("manifest publishing");

            Assert.Equal(
                await File.ReadAllTextAsync(Path.Combine(RepositoryLayout.Root, "aspire-manifest.json")),
                await File.ReadAllTextAsync(fresh));
        }
        finally
        {
            File.Delete(fresh);
        }
    }

    [Fact]
    public async Task The_committed_kubernetes_manifests_are_what_the_publishing_step_writes_now()
    {
        using var output = new TempFolder("pypilocal-k8s");

        await PublishKubernetesAsync(output.Path);

        var written = Files(output.Path);
        Assert.Equal(written.Keys.Order(), Files(Committed).Keys.Where(f => !IsOperatorSecret(f)).Order());
        foreach (var (file, content) in written)
        {
            Assert.True(content == File.ReadAllText(Path.Combine(Committed, file)), $"deploy/kubernetes/{file} is stale: regenerate it (README, Deploy to Kubernetes).");
        }
    }

    [Fact]
    public async Task Kustomize_renders_every_kind_with_only_the_operators_random_credentials()
    {
        using var output = new TempFolder("pypilocal-k8s-render");
        await PublishKubernetesAsync(output.Path);
        var kubectl = ProcessRunner.Require("kubectl", "kubectl (with kustomize) is preinstalled on these machines");

        // Without the operator's credentials nothing renders, so nothing can be deployed with a default one.
        var refused = await ProcessRunner.RunAsync(kubectl, ["kustomize", output.Path]);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("secrets/", refused.Output, StringComparison.Ordinal);

        (await ProcessRunner.RunAsync("sh", [Path.Combine(output.Path, "new-secrets.sh"), "ops"])).EnsureSuccess("new-secrets.sh");
        var rendered = (await ProcessRunner.RunAsync(kubectl, ["kustomize", output.Path])).EnsureSuccess("kubectl kustomize").StandardOutput;

        var documents = Parse(rendered);
        var kinds = documents.Select(d => Scalar(d, "kind")).ToList();
        foreach (var kind in new[] { "Deployment", "Service", "Ingress", "HorizontalPodAutoscaler", "PodDisruptionBudget", "StatefulSet", "Secret", "ConfigMap" })
        {
            Assert.Contains(kind, kinds);
        }

        Assert.Equal(2, kinds.Count(k => k == "StatefulSet"));
        Assert.Contains("tls:", rendered, StringComparison.Ordinal);

        // The only secret values are the random ones new-secrets.sh wrote, and they appear nowhere but in Secrets.
        var generated = Directory.GetFiles(Path.Combine(output.Path, "secrets"), "*.env")
            .SelectMany(File.ReadAllLines)
            .Select(line => line.Split('=', 2)[1])
            .ToList();
        Assert.Equal(3, generated.Count);
        Assert.All(generated, value => Assert.Matches("^[0-9a-f]{32}$", value));
        var secretData = documents.Where(d => Scalar(d, "kind") == "Secret")
            .SelectMany(d => ((YamlMappingNode)d.Children[new YamlScalarNode("data")]).Children.Values)
            .Select(v => Encoding.UTF8.GetString(Convert.FromBase64String(((YamlScalarNode)v).Value!)).TrimEnd('\n'))
            .ToList();
        Assert.Contains(secretData, value => value.EndsWith("\nops admin *", StringComparison.Ordinal));
        Assert.All(secretData, value => Assert.True(
            generated.Contains(value) || value.StartsWith("ops:$apr1$", StringComparison.Ordinal) || value.EndsWith("\nops admin *", StringComparison.Ordinal), $"Unexpected secret value {value}"));
        var withoutSecrets = string.Join("\n---\n", rendered.Split("\n---\n").Where(d => !d.Contains("\nkind: Secret\n", StringComparison.Ordinal) && !d.StartsWith("kind: Secret", StringComparison.Ordinal)));
        Assert.All(generated, value => Assert.DoesNotContain(value, withoutSecrets, StringComparison.Ordinal));
        Assert.DoesNotMatch(WellKnownCredential(), rendered);
    }

    [Fact]
    public async Task The_api_deployment_has_probes_limits_a_non_root_user_and_a_read_only_root_file_system()
    {
        var deployment = await File.ReadAllTextAsync(Path.Combine(Committed, "api-deployment.yaml"));

        Assert.Contains("replicas: 3", deployment, StringComparison.Ordinal);
        foreach (var expected in new[] { "readinessProbe:", "livenessProbe:", "startupProbe:", "limits:", "runAsNonRoot: true", "readOnlyRootFilesystem: true", "secretKeyRef:" })
        {
            Assert.Contains(expected, deployment, StringComparison.Ordinal);
        }
    }

    private static bool IsOperatorSecret(string file) => file.StartsWith("secrets/", StringComparison.Ordinal) && file != "secrets/.gitignore";

    private static async Task PublishKubernetesAsync(string folder) =>
        (await AppHostAsync("--operation", "publish", "--step", "publish-kubernetes", "--output-path", folder)).EnsureSuccess("Kubernetes publishing");

    /// <summary>The built AppHost, with the arguments a user gives after <c>dotnet run --project PypiLocal.AppHost --</c>.</summary>
    private static Task<ProcessResult> AppHostAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(
            "dotnet",
            [Path.Combine(RepositoryLayout.Root, "PypiLocal.AppHost", "bin", RepositoryLayout.Configuration, "net10.0", "PypiLocal.AppHost.dll"), .. arguments],
            new Dictionary<string, string?> { ["DOTNET_ENVIRONMENT"] = "Production" },
            TimeSpan.FromMinutes(3),
            workingDirectory: Path.Combine(RepositoryLayout.Root, "PypiLocal.AppHost"));

    private static Dictionary<string, string> Files(string folder) =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f).Replace('\\', '/'), File.ReadAllText);

    private static List<YamlMappingNode> Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return [.. stream.Documents.Select(d => (YamlMappingNode)d.RootNode)];
    }

    private static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node.Children[new YamlScalarNode(key)]).Value!;

    /// <summary>Defaults and placeholders that must never reach a cluster.</summary>
    [GeneratedRegex(@"(?i)minioadmin|change-?me|=password\b|password: *password|\bsecret123\b|admin:|S3RVER")]
    private static partial Regex WellKnownCredential();
}
