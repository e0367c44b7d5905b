namespace PypiLocal.EndToEndTests;
