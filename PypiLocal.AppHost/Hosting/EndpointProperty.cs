namespace PypiLocal.AppHost.Hosting;

/// <summary>Which part of an endpoint an expression reads.</summary>
internal enum EndpointProperty
{
    Url,
    Host,
    Port,
    TargetPort,
    Scheme,
}
