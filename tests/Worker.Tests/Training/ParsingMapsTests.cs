using AnnotateAnyone.Worker.Training;
using SkiaSharp;

namespace AnnotateAnyone.Worker.Tests.Training;

public sealed class ParsingMapsTests
{
    [Fact]
    public void A_map_shrinks_to_the_most_common_class_of_each_cell()
    {
        // 8 x 4 map: left half mostly hair (2) with one face pixel (11), right half upper clothes (4) and one stray 200.
        var classes = new byte[8 * 4];
        for (var y = 0; y < 4; y++)
        for (var x = 0; x < 8; x++)
            classes[y * 8 + x] = x < 4 ? (byte)2 : (byte)4;
        classes[0] = 11;
        classes[7] = 200;

        var shrunk = ParsingMaps.Shrink(Png(classes, 8, 4), side: 2);

        Assert.Equal([2, 4, 2, 4], shrunk);
    }

    [Fact]
    public void Classes_outside_the_scheme_count_as_background()
    {
        var shrunk = ParsingMaps.Shrink(Png(Enumerable.Repeat((byte)200, 16).ToArray(), 4, 4), side: 1);

        Assert.Equal([0], shrunk);
    }

    [Fact]
    public void Bytes_that_are_no_image_are_refused_with_the_reason()
    {
        var error = Assert.Throws<InvalidDataException>(() => ParsingMaps.Shrink("not a png"u8.ToArray(), side: 4));

        Assert.Contains("parsing map cannot be decoded", error.Message);
    }

    [Fact]
    public void The_pixel_cache_gives_back_each_image_with_its_map_or_none()
    {
        using var cache = new PixelCache(Path.GetTempPath(), imageSize: 8, parsingSide: 2, [([1], 1), ([0], 1)]);
        var (withMap, without) = (Enumerable.Repeat((byte)9, 8 * 8 * 3).ToArray(), Enumerable.Repeat((byte)7, 8 * 8 * 3).ToArray());
        cache.Write(0, withMap, [4, 4, 6, 0]);
        cache.Write(1, without, parsing: null);

        Assert.Equal(withMap, cache.Get(0).Pixels);
        Assert.Equal([4, 4, 6, 0], cache.Get(0).Parsing);
        Assert.Equal(without, cache.Get(1).Pixels);
        Assert.Null(cache.Get(1).Parsing);
    }

    private static byte[] Png(byte[] classes, int width, int height)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        classes.CopyTo(bitmap.GetPixelSpan());
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
