namespace PypiLocal.Protocol.Tests;
