using AnnotateAnyone.Model.Captioner;

namespace AnnotateAnyone.Model.Tests.Captioner;

public sealed class RegionColoursTests
{
    private static readonly CaptionerSpec Spec = new(8, CaptionerSpec.SmallWidths,
    [
        new HeadSpec("shoes.color", ["black", "white"], MultipleChoice: false, Region: [9, 10]),
        new HeadSpec("bag.color", ["black", "white"], MultipleChoice: false, Region: [16]),
        new HeadSpec("shot.shot_type", ["full_body", "portrait"], MultipleChoice: false),
    ]);

    [Fact]
    public void A_region_counts_exactly_its_own_pixels_colours_however_small_it_is()
    {
        // An 8 x 8 picture, white floor, with one black left-shoe pixel and one black right-shoe pixel: a cell-wide
        // average would see a grey smudge, the histogram sees black shoes.
        var pixels = Enumerable.Repeat((byte)250, 8 * 8 * 3).ToArray();
        var classes = new byte[8 * 8];
        foreach (var (at, shoe) in new[] { (60, 9), (62, 10) })
        {
            classes[at] = (byte)shoe;
            pixels[at * 3] = pixels[at * 3 + 1] = pixels[at * 3 + 2] = 10;
        }

        var colours = RegionColours.Of(pixels, classes, Spec);

        Assert.Equal(3 * RegionColours.Bins, colours.Length);
        Assert.Equal(255, colours[0]);
        Assert.Equal(255, colours.Take(RegionColours.Bins).Sum(c => c));
        Assert.All(colours.Skip(RegionColours.Bins).Take(RegionColours.Bins), c => Assert.Equal(0, c));
        var whole = colours.Skip(2 * RegionColours.Bins).ToArray();
        Assert.Equal(Math.Round(255 * 2 / 64.0), whole[0]);
        Assert.Equal(Math.Round(255 * 62 / 64.0), whole[RegionColours.Bins - 1]);
    }

    [Fact]
    public void Classes_outside_the_scheme_count_as_background_and_a_map_of_another_size_is_refused()
    {
        var pixels = Enumerable.Repeat((byte)0, 8 * 8 * 3).ToArray();

        var colours = RegionColours.Of(pixels, Enumerable.Repeat((byte)200, 64).ToArray(), Spec);

        Assert.Equal(255, colours[2 * RegionColours.Bins]);
        Assert.Throws<ArgumentException>(() => RegionColours.Of(pixels, new byte[16], Spec));
    }
}
