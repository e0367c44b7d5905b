namespace PypiLocal.Core.Tests;
