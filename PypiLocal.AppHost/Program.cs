Console.WriteLine("PypiLocal.AppHost");
