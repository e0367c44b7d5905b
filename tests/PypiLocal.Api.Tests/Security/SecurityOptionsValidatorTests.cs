using PypiLocal.Api.Security;

namespace PypiLocal.Api.Tests.Security;

public sealed class SecurityOptionsValidatorTests
{
    [Fact]
    public void Every_setting_that_would_be_ignored_is_named_on_start()
    {
        var options = new SecurityOptions
        {
            PublicUrl = "pypi.example.com",
            TrustedProxies = ["10.0.0.0/8", "192.168.1.7", "proxy.internal"],
            ImageSources = ["https://img.shields.io", "https:", "https://img.shields.io/badge/"],
        };

        var result = new SecurityOptionsValidator().Validate(null, options);

        Assert.Equal(
            [
                "Security:PublicUrl: 'pypi.example.com' is not an absolute http(s) URL such as https://pypi.example.com/.",
                "Security:TrustedProxies:2: 'proxy.internal' is neither an IP address nor a network such as 10.0.0.0/8.",
                "Security:ImageSources:2: 'https://img.shields.io/badge/' is neither an origin such as https://img.shields.io nor 'https:'.",
            ],
            result.Failures);
    }
}
