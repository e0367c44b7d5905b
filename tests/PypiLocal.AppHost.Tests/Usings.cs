namespace PypiLocal.AppHost.Tests;
