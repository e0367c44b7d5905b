using System.Globalization;
using System.Text.RegularExpressions;

namespace PypiLocal.AppHost.Kubernetes;

/// <summary>
/// Turns the app model's values (parameters, endpoint references, connection strings, reference expressions)
/// into what a pod spec can hold, as a deployer substitutes its own names: hosts become Services, a secret
/// parameter becomes an env variable read from its owner's Secret (<c>secretKeyRef</c>), and a value composed
/// of several parts uses Kubernetes' <c>$(VAR)</c> expansion. So no credential is ever written into YAML.
/// </summary>
internal sealed partial class KubernetesValues(IReadOnlyList<IResource> resources)
{
    /// <summary>The port a project listens on in its container (Aspire's deployers use 8080 too).</summary>
    public const int ProjectPort = 8080;

    /// <summary>The Secret that holds a parameter: that of the container whose own environment reads it.</summary>
    public Dictionary<ParameterResource, string> SecretOwners { get; } = [];

    /// <summary>Makes <paramref name="container"/>'s Secret the home of every parameter its environment reads.</summary>
    public void Own(IResource container, IEnumerable<object> environmentValues)
    {
        foreach (var parameter in environmentValues.SelectMany(ParametersIn))
        {
            SecretOwners.TryAdd(parameter, $"{container.Name}-secrets");
        }
    }

    /// <summary>The parameter a value is exactly (alone, or alone in an expression), else null.</summary>
    private static ParameterResource? SingleParameter(object value) => value switch
    {
        ParameterResource parameter => parameter,
        ReferenceExpression { IsConditional: false, Format: "{0}", ValueProviders: [ParameterResource parameter] } => parameter,
        _ => null,
    };

    private static IEnumerable<ParameterResource> ParametersIn(object value) => value switch
    {
        ParameterResource parameter => [parameter],
        ConnectionStringReference reference => ParametersIn(reference.Resource.ConnectionStringExpression),
        IResourceWithConnectionString resource => ParametersIn(resource.ConnectionStringExpression),
        ReferenceExpression { IsConditional: true } conditional => ParametersIn(conditional.WhenFalse!),
        ReferenceExpression expression => expression.ValueProviders.SelectMany(ParametersIn),
        _ => [],
    };

    /// <summary>
    /// A resource's environment: <c>env</c> entries (secretKeyRef first, then values composed with $(VAR)) and
    /// plain literals for its ConfigMap.
    /// </summary>
    public (List<object> Env, SortedDictionary<string, string> Config) Environment(IResource resource, IReadOnlyDictionary<string, object> environment)
    {
        var secretRefs = new List<object>();
        var variables = new Dictionary<ParameterResource, string>();
        var composed = new List<object>();
        var config = new SortedDictionary<string, string>(StringComparer.Ordinal);

        // A variable that is exactly one parameter reads it straight from the Secret, under its own name.
        foreach (var (name, value) in environment)
        {
            if (SingleParameter(value) is { } parameter && !variables.ContainsKey(parameter))
            {
                variables[parameter] = name;
                secretRefs.Add(SecretRef(name, parameter));
            }
        }

        foreach (var (name, value) in environment)
        {
            if (SingleParameter(value) is { } parameter && variables[parameter] == name)
            {
                continue;
            }

            var resolved = Resolve(value, variables, secretRefs);
            if (resolved.Contains("$(", StringComparison.Ordinal))
            {
                composed.Add(new Dictionary<string, object?> { ["name"] = name, ["value"] = resolved });
            }
            else
            {
                config[name] = resolved;
            }
        }

        return ([.. secretRefs, .. composed], config);
    }

    /// <summary>Command-line arguments; they must not carry secrets (a container reads those from its env).</summary>
    public List<string> Arguments(IEnumerable<object> arguments) =>
        [.. arguments.Select(a => Resolve(a, [], []) is var value && value.Contains("$(", StringComparison.Ordinal)
            ? throw new InvalidOperationException($"An argument would carry a secret: {value}")
            : value)];

    public static int TargetPort(IResource resource, EndpointAnnotation endpoint) =>
        endpoint.TargetPort ?? (resource is ProjectResource ? ProjectPort : throw new InvalidOperationException($"{resource.Name}/{endpoint.Name} has no target port."));

    public static string ServiceName(IResource resource) => $"{resource.Name}-service";

    private string Resolve(object value, Dictionary<ParameterResource, string> variables, List<object> secretRefs) => value switch
    {
        string text => text,
        ParameterResource parameter => $"$({Variable(parameter, variables, secretRefs)})",
        EndpointReferenceExpression expression => Endpoint(expression.Endpoint, expression.Property),
        EndpointReference endpoint => Endpoint(endpoint, EndpointProperty.Url),
        ConnectionStringReference reference => Resolve(reference.Resource.ConnectionStringExpression, variables, secretRefs),
        IResourceWithConnectionString resource => Resolve(resource.ConnectionStringExpression, variables, secretRefs),
        // Conditional parts of 13.6 connection strings depend on TLS on the endpoint, which this model never turns on.
        ReferenceExpression { IsConditional: true } conditional => Resolve(conditional.WhenFalse!, variables, secretRefs),
        ReferenceExpression expression => string.Format(
            CultureInfo.InvariantCulture,
            expression.Format,
            [.. expression.ValueProviders.Select(p => (object)Resolve(p, variables, secretRefs))]),
        IFormattable or bool => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        _ => throw new NotSupportedException($"No Kubernetes form for {value.GetType().Name}: {(value as IManifestExpressionProvider)?.ValueExpression}"),
    };

    private static string Endpoint(EndpointReference reference, EndpointProperty property)
    {
        var endpoint = reference.EndpointAnnotation;
        var host = ServiceName(reference.Resource);
        var port = TargetPort(reference.Resource, endpoint).ToString(CultureInfo.InvariantCulture);
        return property switch
        {
            EndpointProperty.Host or EndpointProperty.IPV4Host => host,
            EndpointProperty.Port or EndpointProperty.TargetPort => port,
            EndpointProperty.HostAndPort => $"{host}:{port}",
            EndpointProperty.Scheme => endpoint.UriScheme,
            EndpointProperty.Url => $"{endpoint.UriScheme}://{host}:{port}",
            EndpointProperty.TlsEnabled => "false",
            _ => throw new NotSupportedException($"Endpoint property {property}"),
        };
    }

    /// <summary>The env variable that holds a parameter in this pod, declared (secretKeyRef) on first use.</summary>
    private string Variable(ParameterResource parameter, Dictionary<ParameterResource, string> variables, List<object> secretRefs)
    {
        if (!variables.TryGetValue(parameter, out var variable))
        {
            variable = variables[parameter] = NonAlphanumeric().Replace(parameter.Name, "_").ToUpperInvariant();
            secretRefs.Add(SecretRef(variable, parameter));
        }

        return variable;
    }

    private Dictionary<string, object?> SecretRef(string variable, ParameterResource parameter)
    {
        if (!parameter.Secret)
        {
            throw new InvalidOperationException($"Parameter {parameter.Name} is not secret; only secrets are modelled as parameters here.");
        }

        return new()
        {
            ["name"] = variable,
            ["valueFrom"] = new Dictionary<string, object?>
            {
                ["secretKeyRef"] = new Dictionary<string, object?> { ["name"] = SecretName(parameter), ["key"] = parameter.Name },
            },
        };
    }

    private string SecretName(ParameterResource parameter) =>
        SecretOwners.TryGetValue(parameter, out var owner)
            ? owner
            : throw new InvalidOperationException($"No container of {string.Join(", ", resources.Select(r => r.Name))} holds the secret {parameter.Name}.");

    [GeneratedRegex("[^A-Za-z0-9]")]
    private static partial Regex NonAlphanumeric();
}
