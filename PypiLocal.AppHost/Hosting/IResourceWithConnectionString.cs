namespace PypiLocal.AppHost.Hosting;

/// <summary>A resource others reference by connection string (injected as ConnectionStrings__name).</summary>
internal interface IResourceWithConnectionString : IResource
{
    ReferenceExpression ConnectionStringExpression { get; }

    /// <summary>A connection string the user gave for an existing server; the AppHost then starts nothing.</summary>
    string? ExternalConnectionString { get; set; }

    /// <summary>The split-out connection properties Aspire 13 injects beside the connection string (CACHE_HOST, …).</summary>
    IEnumerable<KeyValuePair<string, IValueProvider>> ConnectionProperties { get; }
}
