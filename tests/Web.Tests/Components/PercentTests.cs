using AnnotateAnyone.Web.Components;

namespace AnnotateAnyone.Web.Tests.Components;

public sealed class PercentTests
{
    [Theory]
    [InlineData(0.0, 4, "0–49%")]
    [InlineData(0.75, 4, "30–95%")]
    [InlineData(0.98, 1000, "97–99%")]
    [InlineData(double.NaN, 10, "")]
    [InlineData(0.5, 0, "")]
    public void A_share_comes_with_where_it_lies_given_how_many_items_measured_it(double share, long items, string interval) =>
        Assert.Equal(interval, Percent.Interval(share, items));
}
