using AnnotateAnyone.Worker.Training;
using SkiaSharp;

namespace AnnotateAnyone.Worker.Tests.Training;

public sealed class ParsingMapsTests
{
    [Fact]
    public void Each_cell_keeps_the_share_of_every_class_so_a_part_smaller_than_a_cell_still_shows()
    {
        // 8 x 8 map in 4 x 4 cells: the left ones hair (2) but for one sunglasses pixel (3), the right ones upper clothes (4).
        var classes = new byte[8 * 8];
        for (var y = 0; y < 8; y++)
        for (var x = 0; x < 8; x++)
            classes[y * 8 + x] = x < 4 ? (byte)2 : (byte)4;
        classes[0] = 3;

        var shares = ParsingMaps.Shares(Png(classes, 8, 8), side: 2);

        Assert.Equal(2 * 2 * 18, shares.Length);
        Assert.Equal(Math.Round(255 * 15 / 16.0), shares[2]);
        Assert.Equal(Math.Round(255 / 16.0), shares[3]);
        Assert.Equal(255, shares[18 + 4]);
        Assert.Equal(255, shares.Skip(18).Take(18).Sum(s => s));
        Assert.Equal(255, shares[2 * 18 + 2]);
    }

    [Fact]
    public void Classes_outside_the_scheme_count_as_background()
    {
        var shares = ParsingMaps.Shares(Png(Enumerable.Repeat((byte)200, 16).ToArray(), 4, 4), side: 1);

        Assert.Equal(255, shares[0]);
        Assert.All(shares.Skip(1), s => Assert.Equal(0, s));
    }

    [Fact]
    public void Bytes_that_are_no_image_are_refused_with_the_reason()
    {
        var error = Assert.Throws<InvalidDataException>(() => ParsingMaps.Shares("not a png"u8.ToArray(), side: 4));

        Assert.Contains("parsing map cannot be decoded", error.Message);
    }

    [Fact]
    public void The_pixel_cache_gives_back_each_image_with_its_map_or_none()
    {
        using var cache = new PixelCache(Path.GetTempPath(), imageSize: 8, parsingSide: 2, [([1], 1), ([0], 1)]);
        var (withMap, without) = (Enumerable.Repeat((byte)9, 8 * 8 * 3).ToArray(), Enumerable.Repeat((byte)7, 8 * 8 * 3).ToArray());
        var shares = Enumerable.Range(0, 2 * 2 * 18).Select(i => (byte)i).ToArray();
        cache.Write(0, withMap, shares);
        cache.Write(1, without, parsing: null);

        Assert.Equal(withMap, cache.Get(0).Pixels);
        Assert.Equal(shares, cache.Get(0).Parsing);
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
