using AnnotateAnyone.Worker.Training;

namespace AnnotateAnyone.Worker.Tests.Training;

public sealed class HeldOutShareTests
{
    private static readonly CaptionerOptions Defaults = new();

    [Theory]
    [InlineData(500, 0.25)]
    [InlineData(4_000, 0.25)]
    [InlineData(5_000, 0.2)]
    [InlineData(20_000, 0.05)]
    [InlineData(6_000_000, 0.02)]
    public void A_thousand_images_are_held_out_within_the_shares_bounds(long verified, double share) =>
        Assert.Equal(share, HeldOutShare.For(verified, activeShare: null, Defaults), precision: 6);

    [Fact]
    public void The_share_never_rises_above_the_active_versions_so_no_image_it_trained_on_is_held_out_again()
    {
        Assert.Equal(0.1, HeldOutShare.For(500, activeShare: 0.1, Defaults), precision: 6);
        Assert.Equal(0.05, HeldOutShare.For(20_000, activeShare: 0.25, Defaults), precision: 6);
    }
}
