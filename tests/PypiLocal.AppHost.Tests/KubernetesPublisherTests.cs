using PypiLocal.AppHost.Publishing;
using YamlDotNet.RepresentationModel;

namespace PypiLocal.AppHost.Tests;

public sealed class KubernetesPublisherTests
{
    private static readonly string Committed = Path.Combine(TestModel.RepositoryRoot, "deploy", "kubernetes");

    [Fact]
    public void Committed_kustomization_is_what_the_AppHost_generates()
    {
        var generated = KubernetesPublisher.Render(TestModel.Create());
        var onDisk = Directory.EnumerateFiles(Committed, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Committed, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

        const string hint = "deploy/kubernetes is stale: run `dotnet run --project PypiLocal.AppHost -- --publisher kubernetes --output-path deploy/kubernetes` and commit it.";
        Assert.True(generated.Keys.SequenceEqual(onDisk), hint);
        foreach (var (name, content) in generated)
        {
            Assert.True(content == File.ReadAllText(Path.Combine(Committed, name)), $"{name}: {hint}");
        }
    }

    [Fact]
    public void Kustomize_renders_every_object_Kubernetes_needs()
    {
        var objects = Render();

        Assert.Equal(
            ["ConfigMap", "Deployment", "HorizontalPodAutoscaler", "Ingress", "PodDisruptionBudget", "Secret", "Service", "StatefulSet"],
            objects.Select(o => Text(o, "kind")).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(
            ["api-deployment", "api-hpa", "api-ingress", "api-pdb", "api-service", "cache-service", "cache-statefulset", "storage-service", "storage-statefulset"],
            objects.Where(o => Text(o, "kind") is not ("Secret" or "ConfigMap")).Select(o => Text(o, "metadata", "name")).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Api_deployment_is_probed_limited_and_locked_down()
    {
        var deployment = Render().Single(o => Text(o, "kind") == "Deployment");
        var pod = Node(deployment, "spec", "template", "spec");
        var container = (YamlMappingNode)((YamlSequenceNode)Node(pod, "containers")).Children.Single();

        Assert.Equal("3", Text(deployment, "spec", "replicas"));
        Assert.Equal("/health", Text(container, "readinessProbe", "httpGet", "path"));
        Assert.Equal("/alive", Text(container, "livenessProbe", "httpGet", "path"));
        Assert.NotNull(Text(container, "resources", "limits", "memory"));
        Assert.NotNull(Text(container, "resources", "limits", "cpu"));
        Assert.Equal("true", Text(pod, "securityContext", "runAsNonRoot"));
        Assert.Equal("true", Text(container, "securityContext", "readOnlyRootFilesystem"));
        Assert.Equal("false", Text(container, "securityContext", "allowPrivilegeEscalation"));
        var mounts = ((YamlSequenceNode)Node(container, "volumeMounts")).Children.Cast<YamlMappingNode>().ToList();
        var volumes = ((YamlSequenceNode)Node(pod, "volumes")).Children.Cast<YamlMappingNode>().ToList();
        var tmp = mounts.Single(m => Text(m, "mountPath") == "/tmp");
        Assert.True(volumes.Single(v => Text(v, "name") == Text(tmp, "name")).Children.ContainsKey("emptyDir"));
        // Upload accounts come from a Secret, mounted read-only where Auth__PasswordsFile points.
        var accounts = mounts.Single(m => Text(m, "mountPath") == "/etc/pypilocal");
        Assert.Equal("true", Text(accounts, "readOnly"));
        Assert.StartsWith("api-secrets", Text(volumes.Single(v => Text(v, "name") == Text(accounts, "name")), "secret", "secretName"), StringComparison.Ordinal);

        var config = Render().Single(o => Text(o, "kind") == "ConfigMap" && Text(o, "metadata", "name")!.StartsWith("api-config", StringComparison.Ordinal));
        Assert.Equal("true", Text(config, "data", "HealthChecks__MapEndpoints"));
        Assert.Equal("8080", Text(config, "data", "HTTP_PORTS"));
        Assert.Equal("/etc/pypilocal/htpasswd", Text(config, "data", "Auth__PasswordsFile"));
    }

    [Fact]
    public void Credentials_live_only_in_Secrets()
    {
        var objects = Render();
        var secretValues = objects.Where(o => Text(o, "kind") == "Secret")
            .SelectMany(s => ((YamlMappingNode)Node(s, "data")).Children.Values)
            .Select(v => System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(((YamlScalarNode)v).Value!)))
            .Where(v => v != "minioadmin")
            .ToList();
        Assert.NotEmpty(secretValues);

        foreach (var manifest in objects.Where(o => Text(o, "kind") != "Secret"))
        {
            var yaml = Serialize(manifest);
            Assert.DoesNotContain(secretValues, yaml.Contains);
        }
        var deployment = Serialize(objects.Single(o => Text(o, "kind") == "Deployment"));
        // The connection strings are composed from secretKeyRef variables by Kubernetes itself.
        Assert.Contains("password=$(CACHE_PASSWORD)", deployment, StringComparison.Ordinal);
        Assert.Contains("secretKeyRef", deployment, StringComparison.Ordinal);
    }

    [Fact]
    public void Redis_and_MinIO_are_StatefulSets_with_volume_claims_and_probes()
    {
        foreach (var statefulSet in Render().Where(o => Text(o, "kind") == "StatefulSet"))
        {
            var claims = (YamlSequenceNode)Node(statefulSet, "spec", "volumeClaimTemplates");
            var container = (YamlMappingNode)((YamlSequenceNode)Node(statefulSet, "spec", "template", "spec", "containers")).Children.Single();
            var mounts = ((YamlSequenceNode)Node(container, "volumeMounts")).Children.Cast<YamlMappingNode>();

            Assert.Equal(Text((YamlMappingNode)claims.Children.Single(), "metadata", "name"), Text(mounts.Single(), "name"));
            Assert.Equal("/data", Text(mounts.Single(), "mountPath"));
            Assert.True(container.Children.ContainsKey("readinessProbe") && container.Children.ContainsKey("livenessProbe"));
            Assert.Equal("true", Text(statefulSet, "spec", "template", "spec", "securityContext", "runAsNonRoot"));
        }
        var storage = Render().Single(o => Text(o, "metadata", "name") == "storage-statefulset");
        Assert.Contains("/minio/health/live", Serialize(storage), StringComparison.Ordinal);
        // The api is unready until its bucket exists, so MinIO creates it when it starts.
        Assert.Contains("mc mb --ignore-existing local/pypilocal", Serialize(storage), StringComparison.Ordinal);
    }

    [Fact]
    public void Kubectl_type_checks_every_object_offline()
    {
        var kubectl = RequiredTool.Require("kubectl");
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, Kustomize());
            var (exitCode, output, error) = RequiredTool.Run(kubectl, ["label", "--local", "-f", file, "checked=yes", "-o", "name"], TimeSpan.FromSeconds(60));

            Assert.True(exitCode == 0, error);
            Assert.Equal(13, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string? _rendered;

    private static string Kustomize()
    {
        if (_rendered is null)
        {
            var (exitCode, output, error) = RequiredTool.Run(RequiredTool.Require("kubectl"), ["kustomize", Committed], TimeSpan.FromSeconds(60));
            Assert.True(exitCode == 0, $"kubectl kustomize failed: {error}");
            _rendered = output;
        }
        return _rendered;
    }

    private static List<YamlMappingNode> Render()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(Kustomize()));
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToList();
    }

    private static YamlNode Node(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            node = ((YamlMappingNode)node).Children[new YamlScalarNode(key)];
        }
        return node;
    }

    private static string? Text(YamlNode node, params string[] path)
    {
        try
        {
            return (Node(node, path) as YamlScalarNode)?.Value;
        }
        catch (KeyNotFoundException)
        {
            return null;
        }
    }

    private static string Serialize(YamlNode node)
    {
        var stream = new YamlStream(new YamlDocument(node));
        using var writer = new StringWriter();
        stream.Save(writer, assignAnchors: false);
        return writer.ToString();
    }
}
