namespace PypiLocal.AppHost.Hosting;

/// <summary><c>{name.connectionString}</c>: the external string when the user gave one, else the resource's own.</summary>
internal sealed class ConnectionStringReference(IResourceWithConnectionString resource) : IValueProvider
{
    public string ValueExpression => $"{{{resource.Name}.connectionString}}";

    public string? GetValue() => resource.ExternalConnectionString ?? resource.ConnectionStringExpression.GetValue();
}
