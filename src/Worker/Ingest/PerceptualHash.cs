using SkiaSharp;

namespace AnnotateAnyone.Worker.Ingest;

/// <summary>
/// The DCT perceptual hash (pHash): the picture shrunk to 32 x 32 grey levels, its lowest 8 x 8 frequencies,
/// one bit per frequency above their median. Re-encoding, resizing and small edits move few bits, so near
/// duplicates lie a few bits apart while different pictures differ in about half of the 64.
/// </summary>
public static class PerceptualHash
{
    private const int Size = 32;
    private const int Kept = 8;
    private static readonly double[,] Cosines = BuildCosines();

    public static long Compute(SKBitmap picture)
    {
        using var small = picture.Resize(new SKImageInfo(Size, Size, SKColorType.Rgba8888, SKAlphaType.Premul),
            new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        var grey = new double[Size, Size];
        var pixels = small.GetPixelSpan();
        for (var y = 0; y < Size; y++)
        for (var x = 0; x < Size; x++)
        {
            var i = (y * Size + x) * 4;
            grey[y, x] = 0.299 * pixels[i] + 0.587 * pixels[i + 1] + 0.114 * pixels[i + 2];
        }
        return FromGrey(grey);
    }

    /// <summary>The hash of a 32 x 32 grey image (exposed for tests of the transform itself).</summary>
    public static long FromGrey(double[,] grey)
    {
        // Separable DCT-II, computing only the 8 x 8 lowest frequencies.
        var rows = new double[Size, Kept];
        for (var y = 0; y < Size; y++)
        for (var u = 0; u < Kept; u++)
        {
            var sum = 0.0;
            for (var x = 0; x < Size; x++) sum += grey[y, x] * Cosines[u, x];
            rows[y, u] = sum;
        }
        var coefficients = new double[Kept * Kept];
        for (var v = 0; v < Kept; v++)
        for (var u = 0; u < Kept; u++)
        {
            var sum = 0.0;
            for (var y = 0; y < Size; y++) sum += rows[y, u] * Cosines[v, y];
            coefficients[v * Kept + u] = sum;
        }

        // The DC term carries overall brightness, not structure: leave it out of the median.
        var median = coefficients.Skip(1).Order().ElementAt((coefficients.Length - 1) / 2);
        long hash = 0;
        for (var i = 0; i < coefficients.Length; i++)
            if (coefficients[i] > median) hash |= 1L << (63 - i);
        return hash;
    }

    private static double[,] BuildCosines()
    {
        var table = new double[Kept, Size];
        for (var u = 0; u < Kept; u++)
        for (var x = 0; x < Size; x++)
            table[u, x] = Math.Cos((2 * x + 1) * u * Math.PI / (2 * Size));
        return table;
    }
}
