using PypiLocal.Protocol.Requirements;

namespace PypiLocal.Protocol.Tests.Requirements;

public sealed class RequirementTests
{
    [Theory]
    [InlineData("requests", "requests", "", "")]
    [InlineData("Requests[Security, socks] >=2.8.1, ==2.8.* ; python_version < \"2.7\"", "requests", ">=2.8.1, ==2.8.*", "security,socks")]
    [InlineData("zope.interface (>=5)", "zope-interface", ">=5", "")]
    [InlineData("numpy==1.26.4", "numpy", "==1.26.4", "")]
    public void Parses_name_extras_and_specifier(string text, string project, string specifier, string extras)
    {
        Assert.True(Requirement.TryParse(text, out var requirement));

        Assert.Equal(project, requirement.Project);
        Assert.Equal(specifier, requirement.Specifier.Text);
        Assert.Equal(extras, string.Join(',', requirement.Extras));
    }

    [Fact]
    public void A_url_requirement_keeps_its_url()
    {
        Assert.True(Requirement.TryParse("pip @ https://example.com/pip-23.0.whl ; os_name == 'nt'", out var requirement));

        Assert.Equal("https://example.com/pip-23.0.whl", requirement.Url);
        Assert.Equal("os_name == 'nt'", requirement.Marker);
    }

    [Theory]
    [InlineData("pysocks; extra == \"socks\"", "", false)]
    [InlineData("pysocks; extra == \"socks\"", "socks", true)]
    [InlineData("pysocks; 'Socks' == extra", "socks", true)]
    [InlineData("colorama; platform_system == \"Windows\"", "", true)]
    public void Only_the_extras_asked_for_add_dependencies(string text, string extras, bool applies)
    {
        Assert.True(Requirement.TryParse(text, out var requirement));

        Assert.Equal(applies, requirement.AppliesWith(extras.Split(',', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Theory]
    [InlineData("-e .")]
    [InlineData(">=1.0")]
    [InlineData("name >= 1 ===")]
    public void Nonsense_is_refused(string text) => Assert.False(Requirement.TryParse(text, out _));

    [Fact]
    public void A_requirements_file_follows_includes_and_skips_what_it_cannot_fetch()
    {
        var folder = Directory.CreateTempSubdirectory("pypilocal-req-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "base.txt"), "six==1.16.0 \\\n    --hash=sha256:abc\n");
            File.WriteAllText(Path.Combine(folder, "requirements.txt"), """
                # pinned by pip-compile
                --index-url https://pypi.org/simple/
                -r base.txt
                requests[socks]>=2  # why not
                -e ./local
                ./wheels/x.whl

                """);

            var read = RequirementsFile.Read(Path.Combine(folder, "requirements.txt"));

            Assert.Equal(["six==1.16.0", "requests[socks]>=2"], read.Requirements.Select(r => r.ToString()));
            Assert.Equal(2, read.Unsupported.Count);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
