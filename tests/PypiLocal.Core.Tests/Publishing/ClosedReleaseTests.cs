using Microsoft.Extensions.Time.Testing;
using PypiLocal.Core.Publishing;
using PypiLocal.Core.Tests.Support;

namespace PypiLocal.Core.Tests.Publishing;

/// <summary>A release closes to new files some days after its first one; time is the subject, so it is faked.</summary>
public sealed class ClosedReleaseTests : IDisposable
{
    private const string Closed = "Uploading new files to releases older than 14 days is not allowed.";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly UploadFixture _fixture;

    public ClosedReleaseTests() => _fixture = new UploadFixture(o => o.CloseReleasesAfterDays = 14, _time);

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task A_release_takes_new_files_for_14_days_after_its_first_and_then_refuses_them_in_PyPIs_words()
    {
        await _fixture.UploadWheelAsync("demo", "1.0");
        _time.Advance(TimeSpan.FromDays(14));
        var onTheLastDay = await _fixture.UploadAsync(TestArchive.Sdist("demo", "1.0"), "demo-1.0.tar.gz", "demo", "1.0");
        _time.Advance(TimeSpan.FromSeconds(1));

        var afterwards = await _fixture.UploadWheelAsync("demo", "1.0.0");

        Assert.Equal(UploadStatus.Created, onTheLastDay.Status);
        Assert.Equal(UploadStatus.Invalid, afterwards.Status);
        Assert.Equal(Closed, afterwards.Message);
        Assert.Equal(2, _fixture.Repository.Added.Count);
    }

    [Fact]
    public async Task A_new_release_of_the_same_project_is_open_whatever_the_age_of_the_others()
    {
        await _fixture.UploadWheelAsync("demo", "1.0");
        _time.Advance(TimeSpan.FromDays(15));

        var outcome = await _fixture.UploadWheelAsync("demo", "2.0");

        Assert.Equal(UploadStatus.Created, outcome.Status);
    }

    [Fact]
    public async Task Sending_a_file_of_a_closed_release_again_still_answers_that_nothing_changed()
    {
        var bytes = TestArchive.Wheel("demo", "1.0");
        await _fixture.UploadAsync(bytes, "demo-1.0-py3-none-any.whl", "demo", "1.0");
        _time.Advance(TimeSpan.FromDays(15));

        var outcome = await _fixture.UploadAsync(bytes, "demo-1.0-py3-none-any.whl", "demo", "1.0");

        Assert.Equal(UploadStatus.Identical, outcome.Status);
    }

    [Fact]
    public async Task Overwriting_a_file_of_a_closed_release_is_refused_too()
    {
        using var fixture = new UploadFixture(o => { o.CloseReleasesAfterDays = 14; o.Overwrite = true; }, _time);
        await fixture.UploadWheelAsync("demo", "1.0");
        _time.Advance(TimeSpan.FromDays(15));
        var other = TestArchive.Wheel("demo", "1.0", TestArchive.Metadata("demo", "1.0", requiresPython: ">=3.9"));

        var outcome = await fixture.UploadAsync(other, "demo-1.0-py3-none-any.whl", "demo", "1.0");

        Assert.Equal(Closed, outcome.Message);
        Assert.Single(fixture.Repository.Added);
    }

    [Fact]
    public async Task By_default_releases_stay_open()
    {
        using var fixture = new UploadFixture(time: _time);
        await fixture.UploadWheelAsync("demo", "1.0");
        _time.Advance(TimeSpan.FromDays(3650));

        var outcome = await fixture.UploadAsync(TestArchive.Sdist("demo", "1.0"), "demo-1.0.tar.gz", "demo", "1.0");

        Assert.Equal(UploadStatus.Created, outcome.Status);
    }
}
