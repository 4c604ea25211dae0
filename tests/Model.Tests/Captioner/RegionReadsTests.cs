using AnnotateAnyone.Model.Captioner;

namespace AnnotateAnyone.Model.Tests.Captioner;

public sealed class RegionReadsTests
{
    private static readonly CaptionerSpec Spec = new(8, CaptionerSpec.SmallWidths,
    [
        new HeadSpec("shoes.color", ["black", "white"], MultipleChoice: false, Region: [9, 10]),
        new HeadSpec("bag.color", ["black", "white"], MultipleChoice: false, Region: [16]),
        new HeadSpec("shot.shot_type", ["full_body", "portrait"], MultipleChoice: false),
    ]);

    private static IEnumerable<byte> Colours(byte[] reads, int region) => reads.Skip(region * RegionReads.Length).Take(RegionReads.ColourBins);

    private static byte[] Layout(byte[] reads, int region) => reads.Skip(region * RegionReads.Length + RegionReads.ColourBins).Take(RegionReads.LayoutCells).ToArray();

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

        var reads = RegionReads.Of(pixels, classes, Spec);

        Assert.Equal(3 * RegionReads.Length, reads.Length);
        Assert.Equal(255, reads[0]);
        Assert.Equal(255, Colours(reads, 0).Sum(c => c));
        Assert.All(Colours(reads, 1), c => Assert.Equal(0, c));
        var whole = Colours(reads, 2).ToArray();
        Assert.Equal(Math.Round(255 * 2 / 64.0), whole[0]);
        Assert.Equal(Math.Round(255 * 62 / 64.0), whole[RegionReads.ColourBins - 1]);
    }

    [Fact]
    public void A_region_is_laid_out_on_the_persons_box_not_on_the_picture()
    {
        // A 16 x 16 picture whose person takes the box from (4, 2) to (11, 13): a bag in the box's top-left quarter and
        // shoes along its bottom row. Each 8 x 8 layout cell is a 1 x 1.5 pixel patch of the box.
        var pixels = new byte[16 * 16 * 3];
        var classes = new byte[16 * 16];
        for (var y = 2; y <= 13; y++)
        for (var x = 4; x <= 11; x++)
            classes[y * 16 + x] = (byte)(y <= 7 && x <= 7 ? 16 : y == 13 ? 9 : 4);
        var spec = Spec with { ImageSize = 16 };

        var reads = RegionReads.Of(pixels, classes, spec);

        var bag = Layout(reads, 1);
        Assert.Equal(255, bag.Sum(c => c), tolerance: 2);
        Assert.All(Enumerable.Range(0, RegionReads.LayoutCells), cell =>
            Assert.Equal(cell / 8 < 4 && cell % 8 < 4, bag[cell] > 0));
        var shoes = Layout(reads, 0);
        Assert.All(Enumerable.Range(0, RegionReads.LayoutCells), cell => Assert.Equal(cell / 8 == 7, shoes[cell] > 0));
        // The background lies outside the person's box, so the picture-wide region places only the person's pixels.
        Assert.Equal(Math.Round(255 * 96 / 256.0), Layout(reads, 2).Sum(c => c), tolerance: 8);
    }

    [Fact]
    public void The_middle_of_an_open_coat_reads_the_colour_of_the_top_under_it()
    {
        // A 16 x 16 picture whose upper clothes cover x 2..13, y 2..13: a red coat, open over a white top in columns 7 and 8.
        var pixels = new byte[16 * 16 * 3];
        var classes = new byte[16 * 16];
        for (var y = 2; y <= 13; y++)
        for (var x = 2; x <= 13; x++)
        {
            var at = y * 16 + x;
            classes[at] = 4;
            (pixels[at * 3], pixels[at * 3 + 1], pixels[at * 3 + 2]) = x is 7 or 8 ? ((byte)250, (byte)250, (byte)250) : ((byte)200, (byte)20, (byte)20);
        }
        var spec = new CaptionerSpec(16, CaptionerSpec.SmallWidths, [new HeadSpec("top.color", ["red", "white"], MultipleChoice: false, Region: [4])]);

        var reads = RegionReads.Of(pixels, classes, spec);

        var (red, white) = ((3 * RegionReads.Levels + 0) * RegionReads.Levels + 0, RegionReads.ColourBins - 1);
        Assert.Equal(Math.Round(255 * 10 / 12.0), reads[red]);
        Assert.Equal(255, reads[RegionReads.Middle + white]);
        Assert.Equal(255, reads.Skip(RegionReads.Middle).Take(RegionReads.ColourBins).Sum(c => c));
    }

    [Fact]
    public void A_mirrored_batch_flips_the_layouts_columns_and_keeps_the_colours()
    {
        var reads = new byte[RegionReads.Length];
        reads[5] = 255;
        reads[RegionReads.Middle + 3] = 255;
        reads[RegionReads.ColourBins + 2 * RegionReads.LayoutSide + 1] = 255;
        var map = new GivenParsing([], reads, Face: [], Geometry: []);

        using var plain = Batches.Regions([map], 1, TorchSharp.torch.CPU, Augmentation.None)!;
        using var mirrored = Batches.Regions([map], 1, TorchSharp.torch.CPU, new Augmentation(true, 0, 0))!;

        Assert.Equal(1f, plain[0, 0, RegionReads.ColourBins + 2 * RegionReads.LayoutSide + 1].item<float>());
        Assert.Equal(1f, mirrored[0, 0, RegionReads.ColourBins + 2 * RegionReads.LayoutSide + 6].item<float>());
        Assert.Equal(1f, mirrored[0, 0, 5].item<float>());
        Assert.Equal(1f, mirrored[0, 0, RegionReads.Middle + 3].item<float>());
        Assert.Equal(3f, mirrored.sum().item<float>());
    }

    [Fact]
    public void Classes_outside_the_scheme_count_as_background_and_a_map_of_another_size_or_shape_is_refused()
    {
        var pixels = Enumerable.Repeat((byte)0, 8 * 8 * 3).ToArray();

        var reads = RegionReads.Of(pixels, Enumerable.Repeat((byte)200, 64).ToArray(), Spec);

        Assert.Equal(255, reads[2 * RegionReads.Length]);
        Assert.All(Layout(reads, 2), c => Assert.Equal(0, c));
        Assert.Throws<ArgumentException>(() => RegionReads.Of(pixels, new byte[16], Spec));
        var oblong = Assert.Throws<ArgumentException>(() => RegionReads.Of(new byte[8 * 4 * 3], new byte[8 * 4], Spec));
        Assert.Contains("not a square picture", oblong.Message);
    }
}
