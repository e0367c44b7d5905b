using PypiLocal.Protocol.Names;

namespace PypiLocal.Protocol.Tests.Names;

public sealed class ProjectNameTests
{
    public sealed class IsValid
    {
        [Theory]
        [InlineData("a")]
        [InlineData("Z")]
        [InlineData("0")]
        [InlineData("foo")]
        [InlineData("Foo_Bar")]
        [InlineData("foo.bar-baz_9")]
        [InlineData("FrIeNdLy-._.-bArD")]
        public void Accepts_valid_names(string name) => Assert.True(ProjectName.IsValid(name));

        [Theory]
        [InlineData("")]
        [InlineData("-foo")]
        [InlineData("foo-")]
        [InlineData("_foo")]
        [InlineData("foo.")]
        [InlineData("foo bar")]
        [InlineData("foo/bar")]
        [InlineData("foo\n")]
        [InlineData("foo\r\n")]
        [InlineData("\nfoo")]
        [InlineData("fóo")]
        [InlineData("\u212Aelvin")] // Kelvin sign: folds to 'k' under case-insensitive Unicode matching.
        [InlineData("foo+bar")]
        public void Rejects_invalid_names(string name) => Assert.False(ProjectName.IsValid(name));
    }

    public sealed class Normalize
    {
        [Theory]
        [InlineData("foo", "foo")]
        [InlineData("Foo", "foo")]
        [InlineData("Foo_Bar", "foo-bar")]
        [InlineData("foo.bar", "foo-bar")]
        [InlineData("foo--bar", "foo-bar")]
        [InlineData("FrIeNdLy-._.-bArD", "friendly-bard")]
        [InlineData("Django", "django")]
        [InlineData("zope.interface", "zope-interface")]
        [InlineData("python_dateutil", "python-dateutil")]
        [InlineData("A.B_C-D", "a-b-c-d")]
        [InlineData("foo---bar", "foo-bar")]
        [InlineData("-foo-", "-foo-")]
        [InlineData("Éa", "éa")] // not a valid name, but lowercased all the same
        [InlineData("\u212Aelvin", "kelvin")]
        public void Lowercases_and_collapses_separator_runs(string name, string expected) =>
            Assert.Equal(expected, ProjectName.Normalize(name));

        [Theory]
        [InlineData("foo")]
        [InlineData("foo-bar-9")]
        public void Gives_a_normalized_name_back_without_a_copy(string name) =>
            Assert.Same(name, ProjectName.Normalize(name));
    }

    public sealed class IsNormalized
    {
        [Theory]
        [InlineData("foo", true)]
        [InlineData("foo-bar", true)]
        [InlineData("a1-b2-c3", true)]
        [InlineData("Foo", false)]
        [InlineData("foo_bar", false)]
        [InlineData("foo.bar", false)]
        [InlineData("foo--bar", false)]
        [InlineData("-foo", false)]
        [InlineData("foo-", false)]
        [InlineData("foo\n", false)]
        [InlineData("", false)]
        [InlineData("a", true)]
        [InlineData("-", false)]
        [InlineData("f\u00f3o", false)]
        [InlineData("\u212Aelvin", false)]
        public void Is_true_only_for_the_normal_form(string name, bool expected) =>
            Assert.Equal(expected, ProjectName.IsNormalized(name));
    }

    public sealed class ToFilenameComponent
    {
        [Theory]
        [InlineData("foo", "foo")]
        [InlineData("Foo-Bar", "foo_bar")]
        [InlineData("foo.bar", "foo_bar")]
        [InlineData("FrIeNdLy-._.-bArD", "friendly_bard")]
        public void Normalizes_then_uses_underscores(string name, string expected) =>
            Assert.Equal(expected, ProjectName.ToFilenameComponent(name));
    }
}
