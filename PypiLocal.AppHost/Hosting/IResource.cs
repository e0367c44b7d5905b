namespace PypiLocal.AppHost.Hosting;

/// <summary>A named part of the app model (Aspire: IResource).</summary>
internal interface IResource
{
    string Name { get; }
}
