using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using PypiLocal.AppHost.Hosting;

namespace PypiLocal.AppHost.Publishing;

/// <summary>
/// Writes aspire-manifest.json as Aspire 8.x–13.1 does: model resources in order, then the parameters
/// created on their behalf, each followed by its -uri-encoded twin when something uses it.
/// Replicas are not part of the format (the schema rejects a replicas field).
/// </summary>
internal static class ManifestPublisher
{
    public const string SchemaUrl = "https://json.schemastore.org/aspire-8.0.json";

    /// <summary>Writes the manifest file; <paramref name="outputPath"/> is a file or a directory.</summary>
    public static string Publish(DistributedApplicationBuilder builder, string outputPath)
    {
        var file = Directory.Exists(outputPath) || outputPath.EndsWith('/') || !outputPath.EndsWith(".json", StringComparison.Ordinal)
            ? Path.Combine(outputPath, "aspire-manifest.json")
            : outputPath;
        file = Path.GetFullPath(file);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, Write(builder, Path.GetDirectoryName(file)!));
        return file;
    }

    /// <summary>The manifest text; project paths are written relative to <paramref name="manifestDirectory"/>.</summary>
    public static string Write(DistributedApplicationBuilder builder, string manifestDirectory)
    {
        using var stream = new MemoryStream();
        var options = new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using (var json = new Utf8JsonWriter(stream, options))
        {
            json.WriteStartObject();
            json.WriteString("$schema", SchemaUrl);
            json.WriteStartObject("resources");
            foreach (var resource in builder.Resources)
            {
                json.WriteStartObject(resource.Name);
                switch (resource)
                {
                    case ParameterResource parameter:
                        WriteParameter(json, parameter);
                        break;
                    case ContainerResource container:
                        WriteContainer(json, container);
                        break;
                    case ProjectResource project:
                        WriteProject(json, project, manifestDirectory);
                        break;
                    default:
                        throw new NotSupportedException($"No manifest form for {resource.GetType().Name}.");
                }
                json.WriteEndObject();
            }
            var uriEncoded = UriEncodedParameters(builder);
            foreach (var parameter in builder.ImplicitParameters)
            {
                json.WriteStartObject(parameter.Name);
                WriteParameter(json, parameter);
                json.WriteEndObject();
                if (uriEncoded.Contains(parameter.Name))
                {
                    json.WriteStartObject($"{parameter.Name}-uri-encoded");
                    json.WriteString("type", "annotated.string");
                    json.WriteString("value", parameter.ValueExpression);
                    json.WriteString("filter", "uri");
                    json.WriteEndObject();
                }
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteParameter(Utf8JsonWriter json, ParameterResource parameter)
    {
        json.WriteString("type", "parameter.v0");
        json.WriteString("value", $"{{{parameter.Name}.inputs.value}}");
        json.WriteStartObject("inputs");
        json.WriteStartObject("value");
        json.WriteString("type", "string");
        if (parameter.Secret)
        {
            json.WriteBoolean("secret", true);
        }
        json.WriteStartObject("default");
        if (parameter.IsGenerated)
        {
            json.WriteStartObject("generate");
            json.WriteNumber("minLength", parameter.GenerateMinLength);
            // Aspire writes only the booleans that are false. Ours excludes special characters because
            // connection strings are split on ';' and ',' (see ParameterResource).
            json.WriteBoolean("special", false);
            json.WriteEndObject();
        }
        else
        {
            json.WriteString("value", parameter.DefaultValue);
        }
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteContainer(Utf8JsonWriter json, ContainerResource container)
    {
        json.WriteString("type", "container.v0");
        if (container is IResourceWithConnectionString withConnectionString)
        {
            json.WriteString("connectionString", withConnectionString.ConnectionStringExpression.ValueExpression);
        }
        json.WriteString("image", container.ImageReference);
        if (container.Entrypoint is not null)
        {
            json.WriteString("entrypoint", container.Entrypoint);
        }
        if (container.Args.Count > 0)
        {
            json.WriteStartArray("args");
            container.Args.ForEach(json.WriteStringValue);
            json.WriteEndArray();
        }
        if (container.Volumes.Count > 0)
        {
            json.WriteStartArray("volumes");
            foreach (var volume in container.Volumes)
            {
                json.WriteStartObject();
                json.WriteString("name", volume.Name);
                json.WriteString("target", volume.Target);
                json.WriteBoolean("readOnly", volume.ReadOnly);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        WriteEnvironment(json, container.Environment);
        WriteBindings(json, container.Endpoints, writeTargetPort: true);
    }

    private static void WriteProject(Utf8JsonWriter json, ProjectResource project, string manifestDirectory)
    {
        json.WriteString("type", "project.v0");
        json.WriteString("path", Path.GetRelativePath(manifestDirectory, project.ProjectPath).Replace('\\', '/'));
        WriteEnvironment(json, PublishEnvironment(project));
        // Projects omit targetPort: deployers pick it (8080) and pass it back through HTTP_PORTS.
        WriteBindings(json, project.Endpoints, writeTargetPort: false);
    }

    /// <summary>The environment a deployed project gets: OTLP options, forwarded headers, HTTP_PORTS, then the model's.</summary>
    internal static List<KeyValuePair<string, IValueProvider>> PublishEnvironment(ProjectResource project)
    {
        List<KeyValuePair<string, IValueProvider>> environment =
        [
            new("OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EXCEPTION_LOG_ATTRIBUTES", ReferenceExpression.Literal("true")),
            new("OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EVENT_LOG_ATTRIBUTES", ReferenceExpression.Literal("true")),
            new("OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY", ReferenceExpression.Literal("in_memory")),
        ];
        if (project.Endpoints.Count > 0)
        {
            environment.Add(new("ASPNETCORE_FORWARDEDHEADERS_ENABLED", ReferenceExpression.Literal("true")));
            environment.Add(new("HTTP_PORTS", project.Property("http", EndpointProperty.TargetPort)));
        }
        environment.AddRange(project.Environment);
        return environment;
    }

    private static void WriteEnvironment(Utf8JsonWriter json, IReadOnlyList<KeyValuePair<string, IValueProvider>> environment)
    {
        if (environment.Count == 0)
        {
            return;
        }
        json.WriteStartObject("env");
        foreach (var (name, value) in environment)
        {
            json.WriteString(name, value.ValueExpression);
        }
        json.WriteEndObject();
    }

    private static void WriteBindings(Utf8JsonWriter json, IReadOnlyList<EndpointAnnotation> endpoints, bool writeTargetPort)
    {
        if (endpoints.Count == 0)
        {
            return;
        }
        json.WriteStartObject("bindings");
        foreach (var endpoint in endpoints)
        {
            json.WriteStartObject(endpoint.Name);
            json.WriteString("scheme", endpoint.Scheme);
            json.WriteString("protocol", endpoint.Protocol);
            json.WriteString("transport", endpoint.Transport);
            if (writeTargetPort && endpoint.TargetPort is { } targetPort)
            {
                json.WriteNumber("targetPort", targetPort);
            }
            if (endpoint.IsExternal)
            {
                json.WriteBoolean("external", true);
            }
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    private static HashSet<string> UriEncodedParameters(DistributedApplicationBuilder builder)
    {
        // Only the twins something refers to are written, as Aspire does.
        var expressions = builder.Resources.OfType<Resource>()
            .SelectMany(r => r.Environment.Select(e => e.Value.ValueExpression))
            .ToList();
        return builder.ImplicitParameters
            .Where(p => expressions.Any(e => e.Contains($"{{{p.Name}-uri-encoded.value}}", StringComparison.Ordinal)))
            .Select(p => p.Name)
            .ToHashSet();
    }
}
