namespace AnnotateAnyone.Model.Captioner;

/// <summary>
/// The human-parsing map a picture came with, as the captioner reads it. <see cref="Shares"/>: for each cell of a
/// <see cref="CaptionerNetwork.ParsingSide"/> grid (row-major), the share of its pixels in each of the 18 classes, out of
/// 255: shares rather than the cell's majority class, so parts smaller than a cell (sunglasses, a belt) still show.
/// <see cref="Colours"/>: each region's colour histogram at the picture's own resolution (<see cref="RegionColours"/>).
/// </summary>
public sealed record GivenParsing(byte[] Shares, byte[] Colours);

/// <summary>
/// Colour histograms of the pixels of each region of a spec (<see cref="CaptionerSpec.Regions"/>), counted with the parsing
/// map at the picture's own resolution. The network's region reads average over cells an eighth of the input wide, where a
/// shoe shares its cell with the floor and a striped top's stripes blend into a third colour; a histogram of exactly the
/// region's pixels keeps the garment's own colours apart, and a linear read of it picks the colour word.
/// </summary>
public static class RegionColours
{
    /// <summary>Levels per channel: 4 x 4 x 4 bins of RGB.</summary>
    public const int Levels = 4, Bins = Levels * Levels * Levels;

    /// <summary>
    /// For each region, the share of its pixels in each bin, out of 255 (all zero where the region has no pixels).
    /// <paramref name="pixels"/>: size x size x 3, row-major; <paramref name="classes"/>: the class of each pixel, size x size
    /// (classes outside the scheme count as background).
    /// </summary>
    public static byte[] Of(byte[] pixels, byte[] classes, CaptionerSpec spec)
    {
        if (pixels.Length != classes.Length * 3)
            throw new ArgumentException($"{classes.Length} classes do not cover {pixels.Length / 3} pixels.", nameof(classes));
        var regions = spec.Regions();
        var regionsOfClass = Enumerable.Range(0, CaptionerSpec.ParsingClassCount)
            .Select(c => Enumerable.Range(0, regions.Count).Where(r => regions[r].Contains((short)c)).ToArray()).ToArray();
        var counts = new int[regions.Count * Bins];
        var totals = new int[regions.Count];
        for (var p = 0; p < classes.Length; p++)
        {
            var bin = (Level(pixels[p * 3]) * Levels + Level(pixels[p * 3 + 1])) * Levels + Level(pixels[p * 3 + 2]);
            foreach (var r in regionsOfClass[classes[p] < CaptionerSpec.ParsingClassCount ? classes[p] : 0])
            {
                counts[r * Bins + bin]++;
                totals[r]++;
            }
        }
        var shares = new byte[counts.Length];
        for (var i = 0; i < counts.Length; i++)
            if (totals[i / Bins] > 0) shares[i] = (byte)Math.Round(255.0 * counts[i] / totals[i / Bins]);
        return shares;
    }

    private static int Level(byte value) => value * Levels >> 8;
}
