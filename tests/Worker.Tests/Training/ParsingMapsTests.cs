using AnnotateAnyone.Model.Captioner;
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

        var shares = ParsingMaps.ForCaptioner(Png(classes, 8, 8), Picture(16), Grey(16), Spec(16)).Shares;

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
        var shares = ParsingMaps.ForCaptioner(Png(Enumerable.Repeat((byte)200, 16).ToArray(), 4, 4), Picture(8), Grey(8), Spec(8)).Shares;

        Assert.Equal(255, shares[0]);
        Assert.All(shares.Skip(1), s => Assert.Equal(0, s));
    }

    [Fact]
    public void Bytes_that_are_no_image_are_refused_with_the_reason()
    {
        var error = Assert.Throws<InvalidDataException>(() => ParsingMaps.ForCaptioner("not a png"u8.ToArray(), Picture(32), Grey(32), Spec(32)));

        Assert.Contains("parsing map cannot be decoded", error.Message);
    }

    [Fact]
    public void Region_reads_are_counted_with_the_map_resampled_to_the_pictures_pixels()
    {
        // A 4 x 4 map over a 16 x 16 picture: upper clothes (4) in the top half, background below. The picture is red
        // where the map says upper clothes and white elsewhere, so each region holds one colour however the cells fall.
        var classes = Enumerable.Range(0, 16).Select(i => i < 8 ? (byte)4 : (byte)0).ToArray();
        var pixels = new byte[16 * 16 * 3];
        for (var p = 0; p < 16 * 16; p++)
            (pixels[p * 3], pixels[p * 3 + 1], pixels[p * 3 + 2]) = p < 16 * 8 ? ((byte)220, (byte)20, (byte)30) : ((byte)250, (byte)250, (byte)250);
        var spec = Spec(16);

        var reads = ParsingMaps.ForCaptioner(Png(classes, 4, 4), Picture(16), pixels, spec).Regions;

        var top = spec.Regions().ToList().FindIndex(r => r.SequenceEqual(new short[] { 4 }));
        Assert.Equal(255, reads[top * RegionReads.Length + (3 * 4 + 0) * 4 + 0]);
        Assert.Equal(255, reads.Skip(top * RegionReads.Length).Take(RegionReads.ColourBins).Sum(c => c));
        // The upper clothes are the whole person: their layout fills the box's eight rows evenly.
        var layout = reads.Skip(top * RegionReads.Length + RegionReads.ColourBins).Take(RegionReads.LayoutCells).ToArray();
        Assert.All(layout, share => Assert.Equal(Math.Round(255 / 64.0), share));
    }

    [Fact]
    public void The_face_the_map_outlines_is_cut_from_the_picture_centred_on_it_at_the_pictures_own_resolution()
    {
        // A 64 x 48 picture, white, with a red face at x 24..39, y 8..23; its map is a quarter of the picture's size.
        using var picture = new SKBitmap(new SKImageInfo(64, 48, SKColorType.Rgba8888, SKAlphaType.Opaque));
        picture.Erase(SKColors.White);
        using (var canvas = new SKCanvas(picture))
        using (var red = new SKPaint { Color = new SKColor(220, 20, 30) })
            canvas.DrawRect(new SKRect(24, 8, 40, 24), red);
        var classes = new byte[16 * 12];
        for (var y = 2; y < 6; y++)
        for (var x = 6; x < 10; x++)
            classes[y * 16 + x] = 11;
        var pixels = Grey(16);

        var face = ParsingMaps.ForCaptioner(Png(classes, 16, 12), Decoded(picture), pixels, Spec(16)).Face;

        Assert.Equal(GivenParsing.FaceBytes, face.Length);
        // The crop is 1.2 times the face: red across its middle, the white around the face at its corners.
        var (middle, corner) = ((GivenParsing.FaceSide / 2 * GivenParsing.FaceSide + GivenParsing.FaceSide / 2) * 3, 0);
        Assert.True(face[middle] > 180 && face[middle + 1] < 70, $"the middle of the crop is ({face[middle]}, {face[middle + 1]}, {face[middle + 2]})");
        Assert.True(face[corner] > 200 && face[corner + 1] > 200, $"the corner of the crop is ({face[corner]}, {face[corner + 1]}, {face[corner + 2]})");
    }

    [Fact]
    public void Class_measures_are_taken_on_the_map_at_its_own_resolution_not_the_networks()
    {
        // A 40 x 40 map whose upper clothes cover x 11..28 over an 8 px network input: at 8 px they would span columns 2..5.
        var classes = new byte[40 * 40];
        for (var y = 4; y < 36; y++)
        for (var x = 11; x <= 28; x++)
            classes[y * 40 + x] = 4;

        var geometry = ParsingMaps.ForCaptioner(Png(classes, 40, 40), Picture(8), Grey(8), Spec(8)).Geometry;

        Assert.Equal(ParsingGeometry.Of(classes, 40, 40), geometry);
        var clothes = (4 - 1) * ParsingGeometry.BytesPerClass;
        Assert.Equal(Math.Round(255 * 11.5 / 40), geometry[clothes]);
        Assert.Equal(Math.Round(255 * 28.5 / 40), geometry[clothes + 1]);
    }

    [Fact]
    public void A_map_with_no_face_or_too_small_a_one_gives_no_crop()
    {
        var classes = new byte[16 * 16];
        var noFace = ParsingMaps.ForCaptioner(Png(classes, 16, 16), Picture(16), Grey(16), Spec(16));
        for (var p = 0; p < ParsingMaps.FacePixels - 1; p++) classes[p] = 11;
        var tinyFace = ParsingMaps.ForCaptioner(Png(classes, 16, 16), Picture(16), Grey(16), Spec(16));

        Assert.False(noFace.HasFace);
        Assert.Empty(tinyFace.Face);
    }

    [Fact]
    public void The_pixel_cache_gives_back_each_image_with_its_targets_and_its_map_and_face_crop_or_none()
    {
        var spec = Spec(8);
        using var cache = new PixelCache(Path.GetTempPath(), spec);
        var (withMap, without) = (Enumerable.Repeat((byte)9, 8 * 8 * 3).ToArray(), Enumerable.Repeat((byte)7, 8 * 8 * 3).ToArray());
        var map = new GivenParsing(Enumerable.Range(0, 18).Select(i => (byte)i).ToArray(),
            Enumerable.Range(0, spec.Regions().Count * RegionReads.Length).Select(i => (byte)(i * 7)).ToArray(),
            Enumerable.Range(0, GivenParsing.FaceBytes).Select(i => (byte)(i * 3)).ToArray(),
            Enumerable.Range(0, ParsingGeometry.Length).Select(i => (byte)(i * 5)).ToArray());
        cache.Write(0, [1, 0], usable: 1, withMap, map);
        cache.Write(1, [0, -1], usable: 0, without, parsing: null);
        var faceless = map with { Face = [] };
        cache.Write(2, [-1, 1], usable: -1, withMap, faceless);

        Assert.Equal(withMap, cache.Get(0).Pixels);
        Assert.Equal(map.Shares, cache.Get(0).Parsing!.Shares);
        Assert.Equal(map.Regions, cache.Get(0).Parsing!.Regions);
        Assert.Equal(map.Face, cache.Get(0).Parsing!.Face);
        Assert.Equal(map.Geometry, cache.Get(0).Parsing!.Geometry);
        Assert.Equal(map.Geometry, cache.Get(2).Parsing!.Geometry);
        Assert.Equal(map.Regions, cache.Get(2).Parsing!.Regions);
        Assert.False(cache.Get(2).Parsing!.HasFace);
        Assert.Equal(without, cache.Get(1).Pixels);
        Assert.Null(cache.Get(1).Parsing);
        Assert.Equal(3, cache.Count);
        Assert.Equal([[1, 0], [0, -1], [-1, 1]], Enumerable.Range(0, 3).Select(i => cache.Get(i).Targets));
        Assert.Equal([1, 0, -1], Enumerable.Range(0, 3).Select(i => cache.Get(i).Usable));
    }

    [Fact]
    public void A_pixel_cache_serves_a_captioner_of_the_same_input_side_and_heads_whatever_its_widths_and_no_other()
    {
        var spec = Spec(8);
        using var cache = new PixelCache(Path.GetTempPath(), spec);

        Assert.True(cache.Serves(CaptionerSpec.FromJson(spec.ToJson())));
        Assert.True(cache.Serves(spec with { Widths = [8, 8, 16, 16] }));
        Assert.False(cache.Serves(Spec(16)));
        Assert.False(cache.Serves(spec with { Heads = spec.Heads.Take(1).ToArray() }));
        Assert.False(cache.Serves(spec with { Heads = [spec.Heads[0] with { Values = ["red", "white", "blue"] }, spec.Heads[1]] }));
        Assert.False(cache.Serves(spec with { Heads = [spec.Heads[0] with { Region = [4, 7] }, spec.Heads[1]] }));
    }

    [Fact]
    public void The_pixel_cache_refuses_targets_for_another_captioners_heads_and_writes_nothing()
    {
        using var cache = new PixelCache(Path.GetTempPath(), Spec(8));

        var refusal = Assert.Throws<ArgumentException>(() => cache.Write(0, [1, 0, 1], usable: 1, Grey(8), parsing: null));

        Assert.Contains("has 2 heads; 3 targets were given", refusal.Message);
        Assert.Equal(0, cache.Count);
    }

    /// <summary>Two heads: one read under the upper clothes, one over the whole picture.</summary>
    private static CaptionerSpec Spec(int imageSize) => new(imageSize, CaptionerSpec.SmallWidths,
        [new HeadSpec("top.color", ["red", "white"], MultipleChoice: false, Region: [4]), new HeadSpec("shot.shot_type", ["full_body", "portrait"], MultipleChoice: false)]);

    private static byte[] Grey(int size) => Enumerable.Repeat((byte)128, size * size * 3).ToArray();

    /// <summary>A grey thumbnail as it is decoded from its JPEG.</summary>
    private static SKBitmap Picture(int size)
    {
        using var picture = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Opaque));
        picture.Erase(SKColors.Gray);
        return Decoded(picture);
    }

    private static SKBitmap Decoded(SKBitmap picture)
    {
        using var data = picture.Encode(SKEncodedImageFormat.Jpeg, 95);
        return ThumbnailPixels.Decode(data.ToArray());
    }

    private static byte[] Png(byte[] classes, int width, int height)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        classes.CopyTo(bitmap.GetPixelSpan());
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
