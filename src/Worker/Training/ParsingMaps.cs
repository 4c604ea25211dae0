using AnnotateAnyone.Data.Storage;
using AnnotateAnyone.Data.Taxonomy;
using AnnotateAnyone.Model.Captioner;
using SkiaSharp;

namespace AnnotateAnyone.Worker.Training;

/// <summary>
/// Human-parsing maps (a PNG with one ATR class id per pixel) resampled for the models. Class ids are labels, never
/// blended: Daring samples the nearest pixel, the captioner takes each cell's class shares and each region's reads.
/// </summary>
public static class ParsingMaps
{
    /// <summary>The map's class ids at size x size, by nearest neighbour.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a decodable image.</exception>
    public static byte[] Nearest(byte[] png, int size) => Nearest(Decode(png), size);

    /// <summary>
    /// The map as the captioner reads it beside the picture (its decoded thumbnail) and the picture's pixels (the spec's
    /// size x size x 3): class shares at its parsing side, each region's colours and layout with the map resampled to
    /// the pixels, and the face it outlines cut from the picture at the thumbnail's own resolution.
    /// </summary>
    /// <exception cref="InvalidDataException">The bytes are not a decodable image.</exception>
    public static GivenParsing ForCaptioner(byte[] png, SKBitmap picture, byte[] pixels, CaptionerSpec spec)
    {
        var map = Decode(png);
        return new GivenParsing(Shares(map, CaptionerNetwork.ParsingSide(spec.ImageSize)), RegionReads.Of(pixels, Nearest(map, spec.ImageSize), spec), Face(map, picture),
            ParsingGeometry.Of(map.Classes, map.Width, map.Height));
    }

    /// <summary>Fewer face pixels than this in a map, and the picture has no face crop: too small to read anything from.</summary>
    public const int FacePixels = 16;

    private const byte FaceClass = (byte)ParsingClass.Face;

    /// <summary>
    /// An image's stored map as the captioner reads it (<see cref="ForCaptioner"/>), or null when it has none. A parsing
    /// map only helps: one that cannot be decoded leaves that image without parsing rather than failing the run (its labels still count).
    /// </summary>
    public static async Task<GivenParsing?> ReadForCaptionerAsync(IObjectStore store, string? key, SKBitmap picture, byte[] pixels, CaptionerSpec spec,
        CancellationToken cancellationToken)
    {
        if (key is null) return null;
        try
        {
            return ForCaptioner(await store.ReadAllBytesAsync(key, cancellationToken), picture, pixels, spec);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    private static byte[] Nearest((byte[] Classes, int Width, int Height) map, int size)
    {
        var (classes, width, height) = map;
        var resampled = new byte[size * size];
        for (var y = 0; y < size; y++)
        for (var x = 0; x < size; x++)
        {
            var (sx, sy) = (Math.Min(width - 1, (int)((x + 0.5) * width / size)), Math.Min(height - 1, (int)((y + 0.5) * height / size)));
            resampled[y * size + x] = classes[sy * width + sx];
        }
        return resampled;
    }

    /// <summary>
    /// For each cell of a side x side grid over the map (any aspect ratio, as the pixels are squeezed to a square), the
    /// share of its pixels in each of the 18 classes out of 255, cell after cell; classes outside the scheme count as
    /// background. Shares, not the majority class: a part smaller than a cell still shows.
    /// </summary>
    private static byte[] Shares((byte[] Classes, int Width, int Height) map, int side)
    {
        const int classes = CaptionerSpec.ParsingClassCount;
        var (pixels, width, height) = map;
        var shares = new byte[side * side * classes];
        Span<int> counts = stackalloc int[classes];
        for (var cy = 0; cy < side; cy++)
        for (var cx = 0; cx < side; cx++)
        {
            counts.Clear();
            var (y0, y1) = (cy * height / side, Math.Max(cy * height / side + 1, (cy + 1) * height / side));
            var (x0, x1) = (cx * width / side, Math.Max(cx * width / side + 1, (cx + 1) * width / side));
            for (var y = y0; y < y1; y++)
            for (var x = x0; x < x1; x++)
            {
                counts[CaptionerSpec.SchemeClass(pixels[y * width + x])]++;
            }
            var total = (y1 - y0) * (x1 - x0);
            for (var c = 0; c < classes; c++) shares[(cy * side + cx) * classes + c] = (byte)Math.Round(255.0 * counts[c] / total);
        }
        return shares;
    }

    /// <summary>
    /// The face the map outlines, cut from the picture: a square centred on the face's pixels, 1.2 times their larger
    /// extent (the brows and the chin in), <see cref="GivenParsing.FaceSide"/> pixels wide. Empty where the map has fewer
    /// than <see cref="FacePixels"/> face pixels (a back view, a face too small to read).
    /// </summary>
    private static byte[] Face((byte[] Classes, int Width, int Height) map, SKBitmap picture)
    {
        var (classes, width, height) = map;
        var (left, top, right, bottom, count) = (width, height, -1, -1, 0);
        for (var p = 0; p < classes.Length; p++)
        {
            if (classes[p] != FaceClass) continue;
            var (x, y) = (p % width, p / width);
            (left, top, right, bottom, count) = (Math.Min(left, x), Math.Min(top, y), Math.Max(right, x), Math.Max(bottom, y), count + 1);
        }
        if (count < FacePixels) return [];
        var half = Math.Max(right - left + 1, bottom - top + 1) * 0.6f;
        var (centreX, centreY) = ((left + right + 1) / 2f, (top + bottom + 1) / 2f);
        return ThumbnailPixels.Crop(picture, new SKRect((centreX - half) / width, (centreY - half) / height, (centreX + half) / width, (centreY + half) / height),
            GivenParsing.FaceSide);
    }

    /// <summary>The map's width and height, read from its header.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a decodable image.</exception>
    public static (int Width, int Height) Measure(byte[] png)
    {
        using var data = SKData.CreateCopy(png);
        using var codec = Codec(data);
        return (codec.Info.Width, codec.Info.Height);
    }

    // SKBitmap.Decode(byte[]) throws ArgumentNullException on bytes no codec recognises; ask for the codec first.
    private static SKCodec Codec(SKData data) =>
        SKCodec.Create(data) ?? throw new InvalidDataException("The parsing map cannot be decoded: it is not an image.");

    /// <summary>Class id per pixel, row-major: gray maps hold it as the value, palette or colour maps in the red channel.</summary>
    private static (byte[] Classes, int Width, int Height) Decode(byte[] png)
    {
        using var data = SKData.CreateCopy(png);
        using var codec = Codec(data);
        using var bitmap = SKBitmap.Decode(codec) ?? throw new InvalidDataException("The parsing map cannot be decoded.");
        var (width, height) = (bitmap.Width, bitmap.Height);
        var classes = new byte[width * height];
        if (bitmap.ColorType == SKColorType.Gray8)
        {
            var pixels = bitmap.GetPixelSpan();
            for (var y = 0; y < height; y++) pixels.Slice(y * bitmap.RowBytes, width).CopyTo(classes.AsSpan(y * width));
        }
        else
            for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                classes[y * width + x] = bitmap.GetPixel(x, y).Red;
        return (classes, width, height);
    }
}
