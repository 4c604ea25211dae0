using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Ingest;
using AnnotateAnyone.Worker.Ingest;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using SkiaSharp;

namespace AnnotateAnyone.Worker.Tests.Ingest;

public sealed class ImageInspectorTests
{
    private static readonly IngestOptions Limits = new();
    private readonly ImageInspector _inspector = new(Options.Create(Limits));

    [Theory]
    [InlineData("jpeg", ImageFormat.Jpeg)]
    [InlineData("png", ImageFormat.Png)]
    [InlineData("webp", ImageFormat.Webp)]
    public void Good_pictures_of_each_format_pass_with_their_size_and_a_thumbnail(string format, ImageFormat expected)
    {
        var bytes = format switch { "jpeg" => TestImages.Jpeg(640, 480), "png" => TestImages.Png(640, 480), _ => TestImages.Webp(640, 480) };

        var inspection = _inspector.Inspect(bytes);

        Assert.Equal(expected, inspection.Format);
        Assert.Equal((640, 480), (inspection.Width, inspection.Height));
        using var thumbnail = SKBitmap.Decode(inspection.Thumbnail);
        Assert.Equal(Limits.ThumbnailSize, Math.Max(thumbnail.Width, thumbnail.Height));
        Assert.Equal(640.0 / 480, (double)thumbnail.Width / thumbnail.Height, 1);
    }

    [Theory]
    [MemberData(nameof(SavedAsEditorsSaveThem))]
    public void Pictures_in_the_pixel_layouts_cameras_and_editors_write_pass_with_their_colours_intact(string layout, byte[] bytes)
    {
        var inspection = _inspector.Inspect(bytes);

        Assert.Equal((640, 480), (inspection.Width, inspection.Height));
        using var thumbnail = SKBitmap.Decode(inspection.Thumbnail);
        var centre = thumbnail.GetPixel(thumbnail.Width / 2, thumbnail.Height / 2);
        var expected = layout.StartsWith("grey", StringComparison.Ordinal) ? (R: 85, G: 85, B: 85) : (R: 200, G: 60, B: 40);
        Assert.True(Math.Abs(centre.Red - expected.R) + Math.Abs(centre.Green - expected.G) + Math.Abs(centre.Blue - expected.B) < 40,
            $"{layout}: the centre reads {centre}, expected about {expected}");
    }

    /// <summary>A brick-red square (a grey one for grey layouts) on white, saved the ways real files arrive.</summary>
    public static TheoryData<string, byte[]> SavedAsEditorsSaveThem()
    {
        byte[] Save(Action<Image<SixLabors.ImageSharp.PixelFormats.Rgba32>, Stream> save, bool grey = false)
        {
            using var image = new Image<SixLabors.ImageSharp.PixelFormats.Rgba32>(640, 480, SixLabors.ImageSharp.Color.White);
            var red = grey ? SixLabors.ImageSharp.Color.FromRgb(85, 85, 85) : SixLabors.ImageSharp.Color.FromRgb(200, 60, 40);
            for (var y = 120; y < 360; y++)
                for (var x = 160; x < 480; x++) image[x, y] = red;
            using var stream = new MemoryStream();
            save(image, stream);
            return stream.ToArray();
        }
        return new TheoryData<string, byte[]>
        {
            { "CMYK JPEG (print workflows)", Save((i, s) => i.SaveAsJpeg(s, new JpegEncoder { ColorType = JpegColorType.Cmyk, Quality = 95 })) },
            { "grey JPEG", Save((i, s) => i.SaveAsJpeg(s, new JpegEncoder { ColorType = JpegColorType.Luminance, Quality = 95 }), grey: true) },
            { "4:4:4 JPEG", Save((i, s) => i.SaveAsJpeg(s, new JpegEncoder { ColorType = JpegColorType.YCbCrRatio444, Quality = 95 })) },
            { "16-bit RGBA PNG", Save((i, s) => i.SaveAsPng(s, new PngEncoder { BitDepth = PngBitDepth.Bit16, ColorType = PngColorType.RgbWithAlpha })) },
            { "palette PNG", Save((i, s) => i.SaveAsPng(s, new PngEncoder { ColorType = PngColorType.Palette })) },
            { "grey PNG", Save((i, s) => i.SaveAsPng(s, new PngEncoder { ColorType = PngColorType.Grayscale }), grey: true) },
            { "interlaced PNG", Save((i, s) => i.SaveAsPng(s, new PngEncoder { InterlaceMethod = PngInterlaceMode.Adam7 })) },
            { "lossless WebP", Save((i, s) => i.SaveAsWebp(s, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless })) },
        };
    }

    [Fact]
    public void A_picture_with_a_colour_profile_keeps_its_colours_in_the_thumbnail()
    {
        // Phones and cameras save Display P3 (and editors Adobe RGB): the same numbers are another colour than in sRGB,
        // and thumbnails (JPEG without a profile, read as sRGB) must carry the colour, not the numbers.
        var displayP3 = SKColorSpace.CreateRgb(SKColorSpaceTransferFn.Srgb, SKColorSpaceXyz.DisplayP3);
        using var picture = new SKBitmap(new SKImageInfo(640, 480, SKColorType.Rgba8888, SKAlphaType.Opaque, displayP3));
        using (var canvas = new SKCanvas(picture)) canvas.Clear(new SKColor(200, 60, 40));
        using var encoded = picture.Encode(SKEncodedImageFormat.Jpeg, 95);
        var stored = picture.GetPixel(320, 240);
        Assert.True(Math.Abs(stored.Red - 200) + Math.Abs(stored.Green - 60) > 20, $"the P3 numbers {stored} should differ from the sRGB colour");

        var inspection = _inspector.Inspect(encoded.ToArray());

        using var thumbnail = SKBitmap.Decode(inspection.Thumbnail);
        var centre = thumbnail.GetPixel(thumbnail.Width / 2, thumbnail.Height / 2);
        Assert.True(Math.Abs(centre.Red - 200) + Math.Abs(centre.Green - 60) + Math.Abs(centre.Blue - 40) < 12,
            $"the centre reads {centre}, expected about (200, 60, 40)");
    }

    [Theory]
    [InlineData((ushort)1, 640, 480)]
    [InlineData((ushort)3, 640, 480)]
    [InlineData((ushort)6, 480, 640)]
    [InlineData((ushort)8, 480, 640)]
    public void Exif_orientation_turns_the_picture_upright(ushort orientation, int width, int height)
    {
        var inspection = _inspector.Inspect(TestImages.Jpeg(640, 480, orientation: orientation));

        Assert.Equal((width, height), (inspection.Width, inspection.Height));
        using var thumbnail = SKBitmap.Decode(inspection.Thumbnail);
        Assert.Equal(width > height, thumbnail.Width > thumbnail.Height);
    }

    [Fact]
    public void Rotating_by_exif_keeps_the_picture_content_aligned()
    {
        // The same pixels stored rotated with orientation 6 must hash like the upright original.
        using var picture = TestImages.Picture(480, 640, 21);
        using var upright = new MemoryStream();
        picture.SaveAsJpeg(upright);
        picture.Mutate(x => x.Rotate(SixLabors.ImageSharp.Processing.RotateMode.Rotate270));
        picture.Metadata.ExifProfile = new SixLabors.ImageSharp.Metadata.Profiles.Exif.ExifProfile();
        picture.Metadata.ExifProfile.SetValue(SixLabors.ImageSharp.Metadata.Profiles.Exif.ExifTag.Orientation, (ushort)6);
        using var rotated = new MemoryStream();
        picture.SaveAsJpeg(rotated);

        var distance = ImageLookup.Distance(_inspector.Inspect(upright.ToArray()).PerceptualHash, _inspector.Inspect(rotated.ToArray()).PerceptualHash);

        Assert.InRange(distance, 0, 4);
    }

    [Theory]
    [MemberData(nameof(HostileFiles))]
    public void Hostile_files_are_refused_with_their_reason(string name, byte[] bytes, RejectReason reason)
    {
        if (reason == RejectReason.TooLarge) return; // enforced while reading, before the inspector (see IngestJobTests)

        var refusal = Assert.Throws<ImageRefusedException>(() => _inspector.Inspect(bytes));

        Assert.True(refusal.Reason == reason, $"{name}: expected {reason}, got {refusal.Reason} ({refusal.Message})");
        Assert.False(string.IsNullOrWhiteSpace(refusal.Message));
    }

    [Theory]
    [MemberData(nameof(FilesOfOtherKinds))]
    public void A_file_of_another_kind_is_refused_saying_what_it_is(byte[] bytes, string kind)
    {
        var refusal = Assert.Throws<ImageRefusedException>(() => _inspector.Inspect(bytes));

        Assert.Equal(RejectReason.UnsupportedFormat, refusal.Reason);
        Assert.Equal($"The file is {kind}; send JPEG, PNG or WebP.", refusal.Message);
    }

    public static TheoryData<byte[], string> FilesOfOtherKinds()
    {
        static byte[] Start(string ascii) => [.. System.Text.Encoding.ASCII.GetBytes(ascii), .. new byte[64]];
        using var bmp = new MemoryStream();
        new Image<Rgb24>(300, 300).SaveAsBmp(bmp);
        return new TheoryData<byte[], string>
        {
            { TestImages.Gif(), "a GIF image" },
            { bmp.ToArray(), "a BMP image" },
            { Start("II*\0"), "a TIFF image (or a camera's raw file)" },
            { Start("\0\0\0\u0018ftypheic"), "a HEIC image (as phones save photos)" },
            { Start("\0\0\0\u001cftypavif"), "an AVIF image" },
            { Start("%PDF-1.7"), "a PDF document" },
            { Start("\n<!DOCTYPE html><html><body>Not found</body></html>"), "a web page (HTML), not a picture" },
            { Start("<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>"), "an SVG drawing" },
        };
    }

    [Fact]
    public void A_decompression_bomb_is_refused_from_its_header_alone()
    {
        var refusal = Assert.Throws<ImageRefusedException>(() => _inspector.Inspect(TestImages.PngClaiming(100_000, 100_000)));

        Assert.Contains("100000 x 100000", refusal.Message);
        Assert.Contains("was not decoded", refusal.Message);
    }

    public static TheoryData<string, byte[], RejectReason> HostileFiles()
    {
        var data = new TheoryData<string, byte[], RejectReason>();
        foreach (var (name, bytes, reason) in TestImages.Hostile(Limits.MaxFileBytes).Where(h => h.Reason != RejectReason.TooLarge))
            data.Add(name, bytes, reason);
        return data;
    }
}
