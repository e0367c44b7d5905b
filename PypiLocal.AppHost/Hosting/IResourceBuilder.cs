namespace PypiLocal.AppHost.Hosting;

/// <summary>Fluent access to one resource (Aspire: IResourceBuilder&lt;T&gt;).</summary>
internal interface IResourceBuilder<out T> where T : IResource
{
    T Resource { get; }

    DistributedApplicationBuilder ApplicationBuilder { get; }
}
