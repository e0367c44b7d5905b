using System.Text.Json;
using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.Storage;

/// <summary>
/// <c>pypilocal import</c> of a 500-file folder (over 1,000 objects in the bucket with their metadata, so listing it
/// takes more than one page) into a real S3 server, run twice; then <c>pypilocal reindex</c>
/// after other tools added and removed objects in the bucket behind the index's back.
/// </summary>
public sealed class ImportReindexTests
{
    [Fact]
    public async Task Import_of_five_hundred_files_is_repeatable_and_reindex_catches_up_with_the_bucket()
    {
        using var folder = new TempFolder("pypilocal-import");
        for (var project = 0; project < 25; project++)
        {
            var nested = Directory.CreateDirectory(folder.Combine($"team{project % 5}")).FullName;
            for (var version = 0; version < 20; version++)
            {
                DistributionBuilder.Wheel(nested, $"lib{project}", $"1.{version}");
            }
        }

        await using var store = await MotoServer.StartAsync();
        var environment = new Dictionary<string, string?> { ["ConnectionStrings__storage"] = store.ConnectionString };
        Task<ProcessResult> Pypilocal(params string[] arguments) =>
            PypiLocalCommand.RunAsync(arguments, environment, TimeSpan.FromMinutes(5));

        var first = (await Pypilocal("import", folder.Path)).EnsureSuccess("pypilocal import");
        Assert.Contains("500 added, 0 already there", first.StandardOutput);
        var again = (await Pypilocal("import", folder.Path)).EnsureSuccess("pypilocal import, again");
        Assert.Contains("0 added, 500 already there", again.StandardOutput);

        // Another tool adds one object and deletes an imported one (under its upload's key): boto3, the library under `aws s3 cp`.
        var extra = DistributionBuilder.Wheel(folder.Combine("elsewhere"), "late-comer", "2.0");
        (await ProcessRunner.RunAsync("python3", ["-c", $$"""
            import boto3
            s3 = boto3.client("s3", endpoint_url="{{store.Endpoint}}", aws_access_key_id="{{store.AccessKey}}", aws_secret_access_key="{{store.SecretKey}}", region_name="us-east-1")
            s3.upload_file("{{extra}}", "pypilocal", "files/late-comer/{{Path.GetFileName(extra)}}")
            for item in s3.list_objects_v2(Bucket="pypilocal", Prefix="blobs/lib7/")["Contents"]:
                if item["Key"].endswith("/{{DistributionBuilder.WheelFilename("lib7", "1.3")}}"):
                    s3.delete_object(Bucket="pypilocal", Key=item["Key"])
            """])).EnsureSuccess("boto3");
        using var http = new HttpClient();

        var reindex = (await Pypilocal("reindex")).EnsureSuccess("pypilocal reindex");
        Assert.Contains("1 entries added, 1 dropped", reindex.StandardOutput);
        Assert.Contains("0 entries added, 0 dropped", (await Pypilocal("reindex")).EnsureSuccess("pypilocal reindex, again").StandardOutput);

        await using var node = await PypiLocalServer.StartAsync(["serve"], environment);
        using var root = await GetJsonAsync(http, node.IndexUrl);
        Assert.Equal(26, root.RootElement.GetProperty("projects").GetArrayLength());
        using var lib7 = await GetJsonAsync(http, node.IndexUrl + "lib7/");
        Assert.Equal(19, lib7.RootElement.GetProperty("files").GetArrayLength());
        using var late = await GetJsonAsync(http, node.IndexUrl + "late-comer/");
        Assert.NotEqual(JsonValueKind.False, late.RootElement.GetProperty("files")[0].GetProperty("core-metadata").ValueKind);
    }

    private static async Task<JsonDocument> GetJsonAsync(HttpClient http, string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("application/vnd.pypi.simple.v1+json");
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }
}
