using TorchSharp;
using static TorchSharp.torch;

namespace AnnotateAnyone.Model.Captioner;

/// <summary>
/// One training or validation image: RGB pixels (size x size x 3, row-major) and its targets per head: a value
/// index for single-choice heads, a bit mask of values for multiple-choice heads, -1 where the label is unknown;
/// <see cref="Usable"/> is 1, 0, or -1 when unknown. <see cref="Parsing"/>: the human-parsing map the image came with, if any.
/// </summary>
public sealed record CaptionerExample(byte[] Pixels, int[] Targets, int Usable, GivenParsing? Parsing = null);

/// <summary>Examples by index; the Worker backs this with a file of pre-shrunk pixels, so nothing needs to fit in memory.</summary>
public interface ICaptionerData
{
    int Count { get; }

    CaptionerExample Get(int index);
}

/// <summary>
/// How a training batch is varied: mirrored or not, and moved by whole parsing cells (8 input pixels at the default
/// size) so pixels and parsing map stay aligned; what moves out of the frame is replaced by the edge.
/// </summary>
public sealed record Augmentation(bool Flip, int ShiftX, int ShiftY)
{
    public static readonly Augmentation None = new(false, 0, 0);

    /// <summary>A flip half the time and a shift of up to one cell either way on each axis.</summary>
    public static Augmentation Draw(Random random) => new(random.Next(2) == 1, random.Next(3) - 1, random.Next(3) - 1);

    /// <summary>Where the pixel at (x, y) of the varied picture comes from in the original of side <paramref name="side"/>.</summary>
    public (int X, int Y) Source(int x, int y, int side, int cell)
    {
        var sourceX = Math.Clamp(x - ShiftX * cell, 0, side - 1);
        return (Flip ? side - 1 - sourceX : sourceX, Math.Clamp(y - ShiftY * cell, 0, side - 1));
    }
}

public static class Batches
{
    private const float Mean = 0.5f, Spread = 0.25f;

    /// <summary>Pixels of a batch as a normalised [batch, 3, size, size] tensor on the device.</summary>
    public static Tensor Images(IReadOnlyList<byte[]> pixels, int size, Device device, Augmentation? augmentation = null)
    {
        var vary = augmentation ?? Augmentation.None;
        var cell = size / CaptionerNetwork.ParsingSide(size);
        var plane = size * size;
        var buffer = new float[pixels.Count * 3 * plane];
        var plain = vary == Augmentation.None;
        // Images convert independently; in parallel this stays a small share of an inference pass.
        Parallel.For(0, pixels.Count, b =>
        {
            var source = pixels[b];
            var offset = b * 3 * plane;
            for (var y = 0; y < size; y++)
            for (var x = 0; x < size; x++)
            {
                var from = plain ? (y * size + x) * 3 : Index(vary.Source(x, y, size, cell), size);
                var to = y * size + x;
                buffer[offset + to] = (source[from] / 255f - Mean) / Spread;
                buffer[offset + plane + to] = (source[from + 1] / 255f - Mean) / Spread;
                buffer[offset + 2 * plane + to] = (source[from + 2] / 255f - Mean) / Spread;
            }
        });
        return tensor(buffer, [pixels.Count, 3, size, size], device: device);

        static int Index((int X, int Y) at, int size) => (at.Y * size + at.X) * 3;
    }

    /// <summary>
    /// The parsing maps of a batch as class shares [batch, 18, side, side] (each cell sums to 1), varied as the images
    /// were; images without a map are all zero, so they teach no parsing. Null when no image has a map.
    /// </summary>
    public static Tensor? Parsing(IReadOnlyList<GivenParsing?> maps, int side, Device device, Augmentation augmentation)
    {
        if (maps.All(m => m is null)) return null;
        const int classes = CaptionerSpec.ParsingClassCount;
        var plane = side * side;
        var buffer = new float[maps.Count * classes * plane];
        for (var b = 0; b < maps.Count; b++)
        {
            if (maps[b]?.Shares is not { } map) continue;
            for (var y = 0; y < side; y++)
            for (var x = 0; x < side; x++)
            {
                var (sx, sy) = augmentation.Source(x, y, side, cell: 1);
                var from = (sy * side + sx) * classes;
                var total = 0;
                for (var c = 0; c < classes; c++) total += map[from + c];
                if (total == 0) continue;
                for (var c = 0; c < classes; c++)
                    buffer[(b * classes + (augmentation.Flip ? CaptionerSpec.MirroredClass[c] : c)) * plane + y * side + x] = map[from + c] / (float)total;
            }
        }
        return tensor(buffer, [maps.Count, classes, side, side], device: device);
    }

    /// <summary>
    /// The region reads of a batch (<see cref="RegionReads"/>) as the square roots of their shares [batch, regions,
    /// <see cref="RegionReads.Length"/>] (a garment's colour and its pattern's accent weigh closer to each other than their
    /// pixel counts); images without a map are all zero. A mirror flips the layouts' columns and leaves the colours as they
    /// are (the middle's too); a shift of a cell leaves both (the layout is laid on the person, who moves with the pixels). Null when no image has a map.
    /// </summary>
    public static Tensor? Regions(IReadOnlyList<GivenParsing?> maps, int regions, Device device, Augmentation augmentation)
    {
        if (maps.All(m => m is null)) return null;
        var size = regions * RegionReads.Length;
        var buffer = new float[maps.Count * size];
        for (var b = 0; b < maps.Count; b++)
        {
            if (maps[b]?.Regions is not { } reads) continue;
            for (var i = 0; i < size; i++) buffer[b * size + Mirror(i, augmentation.Flip)] = MathF.Sqrt(reads[i] / 255f);
        }
        return tensor(buffer, [maps.Count, regions, RegionReads.Length], device: device);

        static int Mirror(int i, bool flip)
        {
            var within = i % RegionReads.Length - RegionReads.ColourBins;
            if (!flip || within is < 0 or >= RegionReads.LayoutCells) return i;
            var column = within % RegionReads.LayoutSide;
            return i - column + RegionReads.LayoutSide - 1 - column;
        }
    }

    /// <summary>
    /// The face crops of a batch (<see cref="GivenParsing.Face"/>) as a normalised [batch, 3, side, side] tensor, mirrored
    /// with the picture; all zero for an image without one (no normalised crop is: a byte never maps to zero). Null when no image has a face.
    /// </summary>
    public static Tensor? Faces(IReadOnlyList<GivenParsing?> maps, Device device, Augmentation augmentation)
    {
        if (!maps.Any(m => m is { HasFace: true })) return null;
        const int side = GivenParsing.FaceSide, plane = side * side;
        var buffer = new float[maps.Count * 3 * plane];
        for (var b = 0; b < maps.Count; b++)
        {
            if (maps[b] is not { HasFace: true } map) continue;
            for (var y = 0; y < side; y++)
            for (var x = 0; x < side; x++)
            {
                var from = (y * side + (augmentation.Flip ? side - 1 - x : x)) * 3;
                for (var c = 0; c < 3; c++) buffer[(b * 3 + c) * plane + y * side + x] = (map.Face[from + c] / 255f - Mean) / Spread;
            }
        }
        return tensor(buffer, [maps.Count, 3, side, side], device: device);
    }

    /// <summary>
    /// The class measures of a batch's maps (<see cref="ParsingGeometry.Features"/>) [batch, <see cref="ParsingGeometry.FeatureCount"/>],
    /// mirrored with the picture (a shift leaves them: they are the map's own); all zero for an image without a map or measures. Null when no image has one.
    /// </summary>
    public static Tensor? Geometry(IReadOnlyList<GivenParsing?> maps, Device device, Augmentation augmentation)
    {
        if (maps.All(m => m is null)) return null;
        var buffer = new float[maps.Count * ParsingGeometry.FeatureCount];
        for (var b = 0; b < maps.Count; b++)
            if (maps[b] is { Geometry.Length: ParsingGeometry.Length } map)
                ParsingGeometry.Features(map.Geometry, buffer.AsSpan(b * ParsingGeometry.FeatureCount, ParsingGeometry.FeatureCount), augmentation.Flip);
        return tensor(buffer, [maps.Count, ParsingGeometry.FeatureCount], device: device);
    }
}
