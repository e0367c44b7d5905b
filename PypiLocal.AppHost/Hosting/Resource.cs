namespace PypiLocal.AppHost.Hosting;

/// <summary>Base of every resource: endpoints, environment, references and start-up dependencies.</summary>
internal abstract class Resource(string name) : IResource
{
    public string Name { get; } = name;

    public List<EndpointAnnotation> Endpoints { get; } = [];

    /// <summary>Environment in insertion order, as the manifest writes it.</summary>
    public List<KeyValuePair<string, IValueProvider>> Environment { get; } = [];

    public List<IResourceWithConnectionString> References { get; } = [];

    public List<IResource> WaitsFor { get; } = [];

    public EndpointAnnotation GetEndpoint(string endpointName) =>
        Endpoints.Single(e => e.Name == endpointName);

    public EndpointReference Property(string endpointName, EndpointProperty property) =>
        new(this, GetEndpoint(endpointName), property);

    public void SetEnvironment(string name, IValueProvider value)
    {
        Environment.RemoveAll(e => e.Key == name);
        Environment.Add(new(name, value));
    }
}
