namespace AnnotateAnyone.Model.Captioner;

/// <summary>
/// Where each class of a parsing map lies, measured on the map at its own resolution: for each class but the background,
/// <see cref="BytesPerClass"/> bytes: its horizontal and vertical extent (the 5th and 95th percentiles of its pixels'
/// columns and rows, out of 255 of the map's width and height; percentiles, so a stray pixel does not stretch it) and
/// the square root of its share of the map, out of 255 (0: the class is not there).
/// <para>
/// Lengths and proportions are ratios of extents: hair that ends below the chin, a hem above the knee, a turtleneck
/// up to the jaw, a head that is a large share of the body. The network's grid is an eighth of its input, and the
/// region layouts an eighth of the person: a sleeve or a hem a few pixels longer moves neither. As logarithms, a ratio
/// of two extents is a difference, which a linear read takes (held out on synthetic people, a linear read of these
/// measures alone: sleeve length 99.6%, bottom length 92%, shot type 94%, collar 58%, against the captioner's 93%,
/// 80%, 92% and 39%).
/// </para>
/// </summary>
public static class ParsingGeometry
{
    public const int BytesPerClass = 5;

    /// <summary>The classes measured: all but the background.</summary>
    public const int Classes = CaptionerSpec.ParsingClassCount - 1;

    public const int Length = Classes * BytesPerClass;

    /// <summary>What the network reads per class (<see cref="Features"/>): presence, log share, the four bounds and the two log extents.</summary>
    public const int FeaturesPerClass = 8, FeatureCount = Classes * FeaturesPerClass;

    private const double Low = 0.05, High = 0.95;

    /// <summary>The measures of a map of <paramref name="width"/> x <paramref name="height"/> class ids (row-major; ids outside the scheme count as background).</summary>
    /// <exception cref="ArgumentException">The classes do not fill the width and height.</exception>
    public static byte[] Of(byte[] classes, int width, int height)
    {
        if (classes.Length != width * height) throw new ArgumentException($"{classes.Length} classes do not fill {width} x {height}.", nameof(classes));
        var columns = new int[CaptionerSpec.ParsingClassCount * width];
        var rows = new int[CaptionerSpec.ParsingClassCount * height];
        var counts = new int[CaptionerSpec.ParsingClassCount];
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
        {
            var c = CaptionerSpec.SchemeClass(classes[y * width + x]);
            counts[c]++;
            columns[c * width + x]++;
            rows[c * height + y]++;
        }
        var measures = new byte[Length];
        for (var c = 1; c < CaptionerSpec.ParsingClassCount; c++)
        {
            if (counts[c] == 0) continue;
            var at = (c - 1) * BytesPerClass;
            var column = columns.AsSpan(c * width, width);
            var row = rows.AsSpan(c * height, height);
            measures[at] = Fraction(Percentile(column, counts[c], Low), width);
            measures[at + 1] = Fraction(Percentile(column, counts[c], High), width);
            measures[at + 2] = Fraction(Percentile(row, counts[c], Low), height);
            measures[at + 3] = Fraction(Percentile(row, counts[c], High), height);
            measures[at + 4] = (byte)Math.Max(1, Math.Round(255 * Math.Sqrt(counts[c] / (double)classes.Length)));
        }
        return measures;
    }

    /// <summary>
    /// The measures as the network reads them, <see cref="FeaturesPerClass"/> per class into <paramref name="features"/>:
    /// presence, the log of its share, its bounds from 0 to 1, the logs of its width and height; all zero for an absent
    /// class. Logs are scaled to about -1 to 0, as the bounds are. Mirrored: bounds from the other side, and left and
    /// right classes trade places.
    /// </summary>
    public static void Features(ReadOnlySpan<byte> measures, Span<float> features, bool mirror)
    {
        const float Unit = 1 / 255f;
        for (var c = 1; c < CaptionerSpec.ParsingClassCount; c++)
        {
            var from = measures.Slice((c - 1) * BytesPerClass, BytesPerClass);
            var to = features.Slice(((mirror ? CaptionerSpec.MirroredClass[c] : c) - 1) * FeaturesPerClass, FeaturesPerClass);
            if (from[4] == 0)
            {
                to.Clear();
                continue;
            }
            var (left, right) = mirror ? (1 - from[1] * Unit, 1 - from[0] * Unit) : (from[0] * Unit, from[1] * Unit);
            var (top, bottom) = (from[2] * Unit, from[3] * Unit);
            to[0] = 1;
            to[1] = MathF.Log(from[4] * Unit) / 4;
            to[2] = left;
            to[3] = right;
            to[4] = top;
            to[5] = bottom;
            to[6] = MathF.Log(right - left + Unit) / 4;
            to[7] = MathF.Log(bottom - top + Unit) / 4;
        }
    }

    /// <summary>The first index of a histogram of <paramref name="total"/> counts past <paramref name="share"/> of them.</summary>
    internal static int Percentile(ReadOnlySpan<int> histogram, int total, double share)
    {
        var (target, seen) = (total * share, 0);
        for (var i = 0; i < histogram.Length; i++)
            if ((seen += histogram[i]) > target) return i;
        return histogram.Length - 1;
    }

    /// <summary>The middle of pixel <paramref name="index"/> as a fraction of <paramref name="length"/>, out of 255.</summary>
    private static byte Fraction(int index, int length) => (byte)Math.Round(255 * (index + 0.5) / length);
}
