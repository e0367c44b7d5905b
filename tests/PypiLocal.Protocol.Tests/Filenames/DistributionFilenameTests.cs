using PypiLocal.Protocol.Filenames;

namespace PypiLocal.Protocol.Tests.Filenames;

public sealed class DistributionFilenameTests
{
    public sealed class TryParse
    {
        // filename, project, version (normal form), build, python, abi, platform
        [Theory]
        [InlineData("foo-1.0-py3-none-any.whl", "foo", "1.0", null, "py3", "none", "any")]
        [InlineData("foo_bar-2.1.0-py2.py3-none-any.whl", "foo-bar", "2.1.0", null, "py2.py3", "none", "any")]
        [InlineData("foo-1.0-1-py3-none-any.whl", "foo", "1.0", "1", "py3", "none", "any")]
        [InlineData("foo-1.0-2b-py3-none-any.whl", "foo", "1.0", "2b", "py3", "none", "any")]
        [InlineData("numpy-2.1.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", "numpy", "2.1.0", null, "cp312", "cp312", "manylinux_2_17_x86_64.manylinux2014_x86_64")]
        [InlineData("pkg-1.0+local.1-py3-none-any.whl", "pkg", "1.0+local.1", null, "py3", "none", "any")]
        [InlineData("pkg-1!2.0rc1-py3-none-linux_x86_64.whl", "pkg", "1!2.0rc1", null, "py3", "none", "linux_x86_64")]
        public void Parses_wheels(string filename, string project, string version, string? build, string python, string abi, string platform)
        {
            Assert.True(DistributionFilename.TryParse(filename, out var parsed));
            Assert.Equal(DistributionKind.Wheel, parsed.Kind);
            Assert.Equal(filename, parsed.Filename);
            Assert.Equal(project, parsed.Project);
            Assert.Equal(version, parsed.Version.ToString());
            Assert.Equal(build, parsed.BuildTag);
            Assert.Equal(python, parsed.PythonTag);
            Assert.Equal(abi, parsed.AbiTag);
            Assert.Equal(platform, parsed.PlatformTag);
            Assert.False(parsed.IsLegacy);
        }

        // filename, name part, version part, project, legacy?
        [Theory]
        [InlineData("foo-1.0.tar.gz", "foo", "1.0", "foo", false)]
        [InlineData("foo_bar-2.0.post1.tar.gz", "foo_bar", "2.0.post1", "foo-bar", false)]
        [InlineData("foo-1.0+local.tar.gz", "foo", "1.0+local", "foo", false)]
        [InlineData("Django-1.0.tar.gz", "Django", "1.0", "django", true)]
        [InlineData("python-dateutil-2.8.2.tar.gz", "python-dateutil", "2.8.2", "python-dateutil", true)]
        [InlineData("zope.interface-5.0.tar.gz", "zope.interface", "5.0", "zope-interface", true)]
        [InlineData("foo-1.0.zip", "foo", "1.0", "foo", true)]
        [InlineData("foo-1.0.TAR.GZ", "foo", "1.0", "foo", true)]
        [InlineData("foo-v1.0.tar.gz", "foo", "v1.0", "foo", true)]
        [InlineData("foo-1.0RC1.tar.gz", "foo", "1.0RC1", "foo", true)]
        public void Parses_sdists_by_the_last_dash(string filename, string namePart, string versionPart, string project, bool legacy)
        {
            Assert.True(DistributionFilename.TryParse(filename, out var parsed));
            Assert.Equal(DistributionKind.Sdist, parsed.Kind);
            Assert.Equal(namePart, parsed.NamePart);
            Assert.Equal(versionPart, parsed.VersionPart);
            Assert.Equal(project, parsed.Project);
            Assert.Equal(legacy, parsed.IsLegacy);
            Assert.Null(parsed.BuildTag);
            Assert.Null(parsed.PythonTag);
            Assert.Null(parsed.AbiTag);
            Assert.Null(parsed.PlatformTag);
        }

        [Theory]
        [InlineData("Foo-1.0-py3-none-any.whl")]
        [InlineData("foo.bar-1.0-py3-none-any.whl")]
        [InlineData("foo-1.0.0-1-py3-none-any.whl", false)]
        [InlineData("foo-v1.0-py3-none-any.whl")]
        [InlineData("foo-1.0-py3-none-any.WHL")]
        public void Marks_wheels_not_in_exact_upload_form_as_legacy(string filename, bool legacy = true)
        {
            Assert.True(DistributionFilename.TryParse(filename, out var parsed));
            Assert.Equal(legacy, parsed.IsLegacy);
        }

        [Theory]
        [InlineData("foo-1.0.tar.bz2")]
        [InlineData("foo-1.0.tgz")]
        [InlineData("foo-1.0.tar.xz")]
        [InlineData("foo-1.0.tar")]
        [InlineData("foo-1.0-py2.7.egg")]
        [InlineData("foo-1.0.win32.exe")]
        [InlineData("foo-1.0.msi")]
        [InlineData("foo-1.0.dmg")]
        [InlineData("foo-1.0-1.noarch.rpm")]
        public void Refuses_banned_types(string filename)
        {
            Assert.True(FileTypes.IsBanned(filename));
            Assert.False(DistributionFilename.TryParse(filename, out _));
        }

        [Theory]
        [InlineData("")]
        [InlineData(".whl")]
        [InlineData(".tar.gz")]
        [InlineData("foo.txt")]
        [InlineData("foo-1.0.whl")]
        [InlineData("foo-1.0-none-any.whl")]
        [InlineData("foo-1.0-1-2-py3-none-any.whl")]
        [InlineData("foo__bar-1.0-py3-none-any.whl")]
        [InlineData("foo+bar-1.0-py3-none-any.whl")]
        [InlineData("-1.0-py3-none-any.whl")]
        [InlineData("foo-nope-py3-none-any.whl")]
        [InlineData("foo-1.0-b1-py3-none-any.whl")]
        [InlineData("foo-1.0-py2.-none-any.whl")]
        [InlineData("foo-1.0-.py3-none-any.whl")]
        [InlineData("foo-1.0--none-any.whl")]
        [InlineData("foo-1.0-py3-none-any..x.whl")]
        [InlineData("foo-1.0-py3-none-a#b.whl")]
        [InlineData("foo-1.0-py3-none-a?b.whl")]
        [InlineData("foo-1.0-py3-no%20ne-any.whl")]
        [InlineData("foo-1.0-1#x-py3-none-any.whl")]
        [InlineData("foo.tar.gz")]
        [InlineData("-1.0.tar.gz")]
        [InlineData("foo-.tar.gz")]
        [InlineData("foo-bar.tar.gz")]
        [InlineData("foo-1.0/../x.tar.gz")]
        [InlineData("../foo-1.0.tar.gz")]
        [InlineData("foo\\x-1.0.tar.gz")]
        [InlineData("foo-1.0\n.tar.gz")]
        [InlineData("foo-1.0-py3-none-any\u0000.whl")]
        [InlineData("foo bar-1.0.tar.gz")]
        public void Refuses_malformed_names(string filename) => Assert.False(DistributionFilename.TryParse(filename, out _));
    }

    public sealed class TryParseForProject
    {
        // filename, project, version part, normal version, legacy?
        [Theory]
        [InlineData("foo-1.0-1.tar.gz", "foo", "1.0-1", "1.0.post1", true)]
        [InlineData("foo-1.0.tar.gz", "Foo", "1.0", "1.0", false)]
        [InlineData("Django-1.0.tar.gz", "django", "1.0", "1.0", true)]
        [InlineData("python-dateutil-2.8.2.tar.gz", "python_dateutil", "2.8.2", "2.8.2", true)]
        [InlineData("python-dateutil-2.8.2-1.zip", "python-dateutil", "2.8.2-1", "2.8.2.post1", true)]
        [InlineData("foo-1-1.0.tar.gz", "foo-1", "1.0", "1.0", true)]
        [InlineData("foo_bar-1.0-py3-none-any.whl", "foo.bar", "1.0", "1.0", false)]
        public void Strips_a_prefix_that_normalizes_to_the_project(string filename, string project, string versionPart, string version, bool legacy)
        {
            Assert.True(DistributionFilename.TryParseForProject(filename, project, out var parsed));
            Assert.Equal(versionPart, parsed.VersionPart);
            Assert.Equal(version, parsed.Version.ToString());
            Assert.Equal(legacy, parsed.IsLegacy);
            Assert.Equal(Protocol.Names.ProjectName.Normalize(project), parsed.Project);
        }

        [Theory]
        [InlineData("bar-1.0.tar.gz", "foo")]
        [InlineData("foo-1.0-py3-none-any.whl", "bar")]
        [InlineData("foo-x.tar.gz", "foo")]
        [InlineData("foo-1.0.tgz", "foo")]
        [InlineData("foobar-1.0.tar.gz", "foo")]
        [InlineData("../foo-1.0.tar.gz", "foo")]
        public void Refuses_other_projects_and_bad_files(string filename, string project) =>
            Assert.False(DistributionFilename.TryParseForProject(filename, project, out _));
    }
}
