using PypiLocal.AppHost;
using PypiLocal.AppHost.Hosting;

// Run: dotnet run --project PypiLocal.AppHost [-- --help]
var builder = DistributedApplication.CreateBuilder(args);

AppModel.Define(builder);

return builder.Build().Run();
