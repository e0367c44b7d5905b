namespace PypiLocal.Api.Tests;
