using System.Globalization;

namespace PypiLocal.AppHost.Hosting;

/// <summary><c>{resource.bindings.endpoint.property}</c>.</summary>
internal sealed class EndpointReference(IResource resource, EndpointAnnotation endpoint, EndpointProperty property) : IValueProvider
{
    public string ValueExpression =>
        $"{{{resource.Name}.bindings.{endpoint.Name}.{property.ToString().ToLowerInvariant() switch { "targetport" => "targetPort", var p => p }}}}";

    public string? GetValue() => property switch
    {
        EndpointProperty.Host => endpoint.AllocatedHost,
        EndpointProperty.Port => endpoint.AllocatedPort?.ToString(CultureInfo.InvariantCulture),
        EndpointProperty.TargetPort => endpoint.TargetPort?.ToString(CultureInfo.InvariantCulture),
        EndpointProperty.Scheme => endpoint.Scheme,
        _ => endpoint.AllocatedPort is { } port ? $"{endpoint.Scheme}://{endpoint.AllocatedHost}:{port.ToString(CultureInfo.InvariantCulture)}" : null,
    };
}
