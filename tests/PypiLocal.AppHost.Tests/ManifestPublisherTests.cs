using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using PypiLocal.AppHost.Publishing;

namespace PypiLocal.AppHost.Tests;

public sealed class ManifestPublisherTests
{
    private static string Generate() => ManifestPublisher.Write(TestModel.Create(), TestModel.RepositoryRoot);

    [Fact]
    public void Committed_manifest_is_what_the_AppHost_generates()
    {
        var committed = File.ReadAllText(Path.Combine(TestModel.RepositoryRoot, "aspire-manifest.json"));

        Assert.True(committed == Generate(),
            "aspire-manifest.json is stale: run `dotnet run --project PypiLocal.AppHost -- --publisher manifest --output-path .` and commit it.");
    }

    [Fact]
    public void Manifest_is_valid_against_the_aspire_8_schema()
    {
        var results = Evaluate(Generate());

        Assert.True(results.IsValid, Describe(results));
    }

    [Fact]
    public void Schema_copy_rejects_what_Aspire_rejects()
    {
        // A replica count is not part of the format; a project without a path is not a project.
        var manifest = JsonNode.Parse(Generate())!;
        manifest["resources"]!["api"]!["replicas"] = 3;
        Assert.False(Evaluate(manifest.ToJsonString()).IsValid);

        manifest = JsonNode.Parse(Generate())!;
        manifest["resources"]!["api"]!.AsObject().Remove("path");
        Assert.False(Evaluate(manifest.ToJsonString()).IsValid);
    }

    [Fact]
    public void Manifest_has_Aspire_shape_and_no_secret_values()
    {
        using var document = JsonDocument.Parse(Generate());
        var root = document.RootElement;
        var resources = root.GetProperty("resources");

        Assert.Equal(ManifestPublisher.SchemaUrl, root.GetProperty("$schema").GetString());
        Assert.Equal(
            ["cache", "storage-user", "storage", "api", "cache-password", "cache-password-uri-encoded", "storage-rootPassword"],
            resources.EnumerateObject().Select(p => p.Name));
        var api = resources.GetProperty("api");
        Assert.Equal("project.v0", api.GetProperty("type").GetString());
        Assert.Equal("src/PypiLocal.Api/PypiLocal.Api.csproj", api.GetProperty("path").GetString());
        var env = api.GetProperty("env");
        Assert.Equal("{cache.connectionString}", env.GetProperty("ConnectionStrings__cache").GetString());
        Assert.Equal("{storage.connectionString}", env.GetProperty("ConnectionStrings__storage").GetString());
        Assert.Equal("{api.bindings.http.targetPort}", env.GetProperty("HTTP_PORTS").GetString());
        Assert.Equal("true", env.GetProperty("ASPNETCORE_FORWARDEDHEADERS_ENABLED").GetString());
        Assert.False(env.TryGetProperty("OTEL_EXPORTER_OTLP_ENDPOINT", out _));
        Assert.True(api.GetProperty("bindings").GetProperty("http").GetProperty("external").GetBoolean());
        Assert.False(api.GetProperty("bindings").GetProperty("http").TryGetProperty("targetPort", out _));
        Assert.Equal(
            "Endpoint=http://{storage.bindings.http.host}:{storage.bindings.http.port};AccessKey={storage-user.value};SecretKey={storage-rootPassword.value}",
            resources.GetProperty("storage").GetProperty("connectionString").GetString());
        var generate = resources.GetProperty("cache-password").GetProperty("inputs").GetProperty("value");
        Assert.True(generate.GetProperty("secret").GetBoolean());
        Assert.Equal(22, generate.GetProperty("default").GetProperty("generate").GetProperty("minLength").GetInt32());
    }

    [Fact]
    public void Publish_writes_aspire_manifest_json_into_a_directory()
    {
        var dir = Directory.CreateTempSubdirectory("apphost-manifest-");
        try
        {
            var file = ManifestPublisher.Publish(TestModel.Create(), dir.FullName);

            Assert.Equal(Path.Combine(dir.FullName, "aspire-manifest.json"), file);
            Assert.True(Evaluate(File.ReadAllText(file)).IsValid);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    // Built once: the schema registers its $id globally.
    private static readonly Lazy<JsonSchema> Schema = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("aspire-8.0.schema.json")!;
        using var reader = new StreamReader(stream);
        return JsonSchema.FromText(reader.ReadToEnd());
    });

    private static EvaluationResults Evaluate(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Schema.Value.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    private static string Describe(EvaluationResults results) =>
        string.Join("\n", (results.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}")));
}
