using AnnotateAnyone.Web.Releases;

namespace AnnotateAnyone.Web.Tests.Releases;

public sealed class NextVersionTests
{
    [Theory]
    [InlineData(new string[0], "1.0")]
    [InlineData(new[] { "0.1" }, "0.2")]
    [InlineData(new[] { "1.9", "2", "1.10" }, "2.1")]
    [InlineData(new[] { "1.2.3", "draft" }, "1.3")]
    public void A_new_release_takes_the_latest_versions_minor_plus_one(string[] versions, string next) =>
        Assert.Equal(next, ReleaseViews.NextVersion(versions));
}
