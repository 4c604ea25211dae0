using AnnotateAnyone.Model.Captioner;
using TorchSharp;
using static TorchSharp.torch;

namespace AnnotateAnyone.Model.Tests.Captioner;

public sealed class ParsingGeometryTests
{
    private const byte UpperClothes = 4, LeftShoe = 9, RightShoe = 10;

    private static ReadOnlySpan<byte> Of(byte[] measures, int parsingClass) =>
        measures.AsSpan((parsingClass - 1) * ParsingGeometry.BytesPerClass, ParsingGeometry.BytesPerClass);

    /// <summary>A map of <paramref name="width"/> x <paramref name="height"/> with one class over a rectangle, bounds inclusive.</summary>
    private static byte[] Rectangle(int width, int height, byte parsingClass, int left, int top, int right, int bottom)
    {
        var classes = new byte[width * height];
        for (var y = top; y <= bottom; y++)
        for (var x = left; x <= right; x++)
            classes[y * width + x] = parsingClass;
        return classes;
    }

    [Fact]
    public void A_class_is_measured_by_its_own_extent_on_the_maps_width_and_height_and_a_stray_pixel_does_not_stretch_it()
    {
        // A 200 x 100 map (not square: each axis is a share of its own length) with upper clothes over x 20..119, y 10..59.
        var classes = Rectangle(200, 100, UpperClothes, 20, 10, 119, 59);
        classes[99 * 200 + 199] = UpperClothes;

        var measures = ParsingGeometry.Of(classes, 200, 100);

        Assert.Equal(ParsingGeometry.Length, measures.Length);
        var clothes = Of(measures, UpperClothes).ToArray();
        // The 5th and 95th percentiles of 100 columns from 20 and 50 rows from 10, at the pixels' middles.
        Assert.Equal(Math.Round(255 * 25.5 / 200), clothes[0]);
        Assert.Equal(Math.Round(255 * 115.5 / 200), clothes[1]);
        Assert.Equal(Math.Round(255 * 12.5 / 100), clothes[2]);
        Assert.Equal(Math.Round(255 * 57.5 / 100), clothes[3]);
        Assert.Equal(Math.Round(255 * Math.Sqrt(5001 / 20000.0)), clothes[4]);
        Assert.All(Enumerable.Range(1, ParsingGeometry.Classes).Where(c => c != UpperClothes), c => Assert.All(Of(measures, c).ToArray(), b => Assert.Equal(0, b)));
    }

    [Fact]
    public void Class_ids_outside_the_scheme_count_as_background_and_classes_must_fill_the_map()
    {
        var measures = ParsingGeometry.Of(Rectangle(10, 10, 200, 0, 0, 9, 9), 10, 10);

        Assert.All(measures, b => Assert.Equal(0, b));
        var error = Assert.Throws<ArgumentException>(() => ParsingGeometry.Of(new byte[99], 10, 10));
        Assert.Contains("do not fill 10 x 10", error.Message);
    }

    [Fact]
    public void A_mirrored_batch_measures_from_the_other_side_and_left_and_right_trade_places()
    {
        // A left shoe over the first fifth of a 100 x 100 map; a second image without a map.
        var map = new GivenParsing([], [], [], ParsingGeometry.Of(Rectangle(100, 100, LeftShoe, 0, 80, 19, 99), 100, 100));

        using var plain = Batches.Geometry([map, null], CPU, Augmentation.None)!;
        using var mirrored = Batches.Geometry([map, null], CPU, new Augmentation(true, 0, 0))!;

        float Feature(Tensor batch, int image, int parsingClass, int feature) =>
            batch[image, (parsingClass - 1) * ParsingGeometry.FeaturesPerClass + feature].item<float>();
        Assert.Equal(1f, Feature(plain, 0, LeftShoe, 0));
        Assert.Equal(0f, Feature(plain, 0, RightShoe, 0));
        Assert.Equal(1f, Feature(mirrored, 0, RightShoe, 0));
        Assert.Equal(0f, Feature(mirrored, 0, LeftShoe, 0));
        Assert.Equal(1 - Feature(plain, 0, LeftShoe, 3), Feature(mirrored, 0, RightShoe, 2), 1e-6f);
        Assert.Equal(1 - Feature(plain, 0, LeftShoe, 2), Feature(mirrored, 0, RightShoe, 3), 1e-6f);
        Assert.Equal(Feature(plain, 0, LeftShoe, 4), Feature(mirrored, 0, RightShoe, 4));
        Assert.Equal(Feature(plain, 0, LeftShoe, 6), Feature(mirrored, 0, RightShoe, 6), 1e-6f);
        Assert.Equal(0f, plain[1].abs().sum().item<float>());
        Assert.Null(Batches.Geometry([null, null], CPU, Augmentation.None));
    }

    [Fact]
    public void Class_measures_move_the_heads_and_an_image_without_them_reads_as_one_given_none()
    {
        var spec = new CaptionerSpec(32, [8, 8, 16, 16],
        [
            new HeadSpec("top.color", ["red", "white"], MultipleChoice: false, Region: [UpperClothes]),
            new HeadSpec("body.build", ["slim", "heavy"], MultipleChoice: false),
        ]);
        torch.random.manual_seed(3);
        using var network = new CaptionerNetwork(spec);
        network.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var pixels = Enumerable.Repeat((byte)90, 32 * 32 * 3).ToArray();
        GivenParsing Measured(int right) => new([], [], [], ParsingGeometry.Of(Rectangle(32, 32, UpperClothes, 8, 4, right, 20), 32, 32));

        float[] Logits(GivenParsing?[] maps)
        {
            using var output = network.Forward(Batches.Images(maps.Select(_ => pixels).ToList(), 32, CPU), geometry: Batches.Geometry(maps, CPU, Augmentation.None));
            return output.Logits[0].data<float>().ToArray();
        }

        var (none, narrow, wide) = (Logits([null]), Logits([Measured(right: 15)]), Logits([Measured(right: 23)]));

        Assert.NotEqual(narrow[..4], wide[..4]);
        Assert.NotEqual(none[..4], narrow[..4]);
        Assert.Equal(none[4], narrow[4]);
        Assert.All(none.Zip(Logits([null, Measured(right: 15)])), pair => Assert.Equal(pair.First, pair.Second, 1e-5f));
    }
}
