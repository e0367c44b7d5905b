using PypiLocal.AppHost.Orchestration;
using PypiLocal.Testing;

namespace PypiLocal.AppHost.Tests;

public sealed class S3BucketInitializerTests
{
    [Fact]
    public async Task Signature_matches_botocore_for_the_same_request()
    {
        // moto ignores signatures, so the signer is checked against AWS's own Python implementation instead.
        var python = ProcessRunner.Require("python3", "a Python with botocore (moto's dependency: pip install 'moto[server]')");
        const string script = """
            from botocore.auth import S3SigV4Auth
            from botocore.awsrequest import AWSRequest
            from botocore.credentials import Credentials
            request = AWSRequest(method="PUT", url="http://127.0.0.1:9000/pypilocal", data=b"")
            S3SigV4Auth(Credentials("minioadmin", "s3cret"), "s3", "us-east-1").add_auth(request)
            print(request.headers["X-Amz-Date"])
            print(request.headers["Authorization"])
            """;

        var result = (await ProcessRunner.RunAsync(python, ["-c", script], timeout: TimeSpan.FromSeconds(60))).EnsureSuccess("botocore signing");
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var signedAt = DateTime.ParseExact(lines[0], "yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal);
        using var request = S3BucketInitializer.Signed(HttpMethod.Put, new Uri("http://127.0.0.1:9000/pypilocal"), "minioadmin", "s3cret", signedAt);

        Assert.Equal(lines[1], request.Headers.GetValues("Authorization").Single());
    }

    [Fact]
    public async Task Creates_the_bucket_on_a_real_moto_server_once()
    {
        var moto = ProcessRunner.Require("moto_server", "pip install 'moto[server]'");
        var port = FreePort.Next();
        using var server = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(moto, ["-H", "127.0.0.1", "-p", port.ToString()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            var endpoint = $"http://127.0.0.1:{port}";
            Assert.True(await HealthProbes.WaitAsync(ct => HealthProbes.HttpAsync(endpoint + "/", requireOk: true, ct), null, TimeSpan.FromSeconds(30), CancellationToken.None));

            Assert.True(await S3BucketInitializer.EnsureBucketAsync(endpoint, "a", "b", "pypilocal", CancellationToken.None));
            Assert.True(await S3BucketInitializer.EnsureBucketAsync(endpoint, "a", "b", "pypilocal", CancellationToken.None));

            using var client = new HttpClient();
            using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, endpoint + "/pypilocal"));
            Assert.True(head.IsSuccessStatusCode);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }
}
