namespace PypiLocal.Infrastructure.Tests;
