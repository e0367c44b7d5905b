namespace PypiLocal.Infrastructure.Tests.Support;

/// <summary>Test classes in this collection share one moto_server process.</summary>
[CollectionDefinition(Name)]
public sealed class MotoCollection : ICollectionFixture<MotoServerFixture>
{
    public const string Name = "moto";
}
