namespace AnnotateAnyone.Model.Captioner;

/// <summary>
/// The human-parsing map a picture came with, as the captioner reads it. <see cref="Shares"/>: for each cell of a
/// <see cref="CaptionerNetwork.ParsingSide"/> grid (row-major), the share of its pixels in each of the 18 classes, out of
/// 255: shares rather than the cell's majority class, so parts smaller than a cell (sunglasses, a belt) still show.
/// <see cref="Regions"/>: each region's colours and layout at the picture's own resolution (<see cref="RegionReads"/>).
/// <see cref="Face"/>: the face the map outlines, cut from the stored picture (larger than the network's input) as a square
/// <see cref="FaceSide"/> pixels wide (RGB, row-major), centred on the face and scaled to it; empty where the map shows no face.
/// <see cref="Geometry"/>: where each class lies on the map (<see cref="ParsingGeometry"/>).
/// </summary>
public sealed record GivenParsing(byte[] Shares, byte[] Regions, byte[] Face, byte[] Geometry)
{
    /// <summary>
    /// The face crop's side. A face in a full-length picture is two cells of the network's input: the mouth and brows
    /// that carry an expression, and the lines and proportions of an age, are a pixel or two there. Cut from the stored
    /// picture and centred on the face, they sit at the same place in every crop (held out on synthetic people, a
    /// network reading only such crops: expression 33% -> 57%, age 29% -> 49%, hair style 28% -> 47%).
    /// </summary>
    public const int FaceSide = 32;

    public const int FaceBytes = FaceSide * FaceSide * 3;

    public bool HasFace => Face.Length == FaceBytes;
}

/// <summary>
/// What the pixels of each region of a spec (<see cref="CaptionerSpec.Regions"/>) look like and where they lie, counted with
/// the parsing map at the picture's own resolution: for each region, <see cref="Length"/> bytes, three distributions of its
/// pixels out of 255 each.
/// <list type="bullet">
/// <item>Over <see cref="ColourBins"/> RGB bins, its colours. The network's region reads average over cells an eighth of the
/// input wide, where a shoe shares its cell with the floor and a striped top's stripes blend into a third colour; a
/// histogram of exactly the region's pixels keeps the garment's own colours apart.</item>
/// <item>Over a <see cref="LayoutSide"/> x <see cref="LayoutSide"/> grid laid on the person's box (the pixels of any class
/// but background), its layout: hair that ends at the chin or at the shoulders, a sleeve that stops at the elbow, a head
/// that is a large share of the body (a child), shoulders wider than hips (a build). The box, not the picture, so a
/// head shot and a full-length picture of one outfit read alike.</item>
/// <item>Over the colour bins again, the colours of its middle: its pixels within <see cref="MiddleBand"/> of its width from
/// its median column. The upper clothes of a parsing map hold an open coat and the top under it; what shows between the
/// coat's fronts is the top (held out on synthetic people, a top's colour under a coat was read right one time in ten: the
/// coat's colour fills its region).</item>
/// </list>
/// </summary>
public static class RegionReads
{
    /// <summary>Levels per channel: 4 x 4 x 4 bins of RGB.</summary>
    public const int Levels = 4, ColourBins = Levels * Levels * Levels;

    public const int LayoutSide = 8, LayoutCells = LayoutSide * LayoutSide;

    public const int Length = ColourBins + LayoutCells + ColourBins;

    /// <summary>Where a region's middle colours start in its reads.</summary>
    public const int Middle = ColourBins + LayoutCells;

    /// <summary>Half the middle's width, as a share of the region's (the 5th to the 95th percentile of its columns).</summary>
    public const double MiddleBand = 0.06;

    /// <summary>
    /// For each region, the share of its pixels in each colour bin and in each layout cell, out of 255 (all zero where the
    /// region has no pixels). <paramref name="pixels"/>: size x size x 3, row-major; <paramref name="classes"/>: the class of
    /// each pixel, size x size (classes outside the scheme count as background).
    /// </summary>
    /// <exception cref="ArgumentException">The classes do not cover the pixels one to one, or the picture is not square.</exception>
    public static byte[] Of(byte[] pixels, byte[] classes, CaptionerSpec spec)
    {
        if (pixels.Length != classes.Length * 3)
            throw new ArgumentException($"{classes.Length} classes do not cover {pixels.Length / 3} pixels.", nameof(classes));
        var side = (int)Math.Sqrt(classes.Length);
        if (side * side != classes.Length) throw new ArgumentException($"{classes.Length} classes are not a square picture.", nameof(classes));
        var regions = spec.Regions();
        var regionsOfClass = Enumerable.Range(0, CaptionerSpec.ParsingClassCount)
            .Select(c => Enumerable.Range(0, regions.Count).Where(r => regions[r].Contains((short)c)).ToArray()).ToArray();
        var box = PersonBox(classes, side);
        var (middles, totals) = MiddleBands(classes, side, regionsOfClass, regions.Count);
        var counts = new int[regions.Count * Length];
        var middleTotals = new int[regions.Count];
        for (var p = 0; p < classes.Length; p++)
        {
            var bin = (Level(pixels[p * 3]) * Levels + Level(pixels[p * 3 + 1])) * Levels + Level(pixels[p * 3 + 2]);
            var (x, y) = (p % side, p / side);
            var cell = box.Cell(x, y);
            foreach (var r in regionsOfClass[CaptionerSpec.SchemeClass(classes[p])])
            {
                counts[r * Length + bin]++;
                if (cell >= 0) counts[r * Length + ColourBins + cell]++;
                if (Math.Abs(x - middles[r].Centre) > middles[r].Half) continue;
                counts[r * Length + Middle + bin]++;
                middleTotals[r]++;
            }
        }
        var shares = new byte[counts.Length];
        for (var i = 0; i < counts.Length; i++)
        {
            var total = i % Length >= Middle ? middleTotals[i / Length] : totals[i / Length];
            if (total > 0) shares[i] = (byte)Math.Round(255.0 * counts[i] / total);
        }
        return shares;
    }

    /// <summary>
    /// Each region's median column and the half-width of its middle band, in pixels (at least half a pixel: the median's
    /// own column), and each region's pixel count.
    /// </summary>
    private static ((double Centre, double Half)[] Middles, int[] Totals) MiddleBands(byte[] classes, int side, int[][] regionsOfClass, int regionCount)
    {
        var columns = new int[regionCount * side];
        var totals = new int[regionCount];
        for (var p = 0; p < classes.Length; p++)
            foreach (var r in regionsOfClass[CaptionerSpec.SchemeClass(classes[p])])
            {
                columns[r * side + p % side]++;
                totals[r]++;
            }
        var middles = Enumerable.Range(0, regionCount).Select(r =>
        {
            var histogram = columns.AsSpan(r * side, side);
            var (low, centre, high) = (ParsingGeometry.Percentile(histogram, totals[r], 0.05), ParsingGeometry.Percentile(histogram, totals[r], 0.5),
                ParsingGeometry.Percentile(histogram, totals[r], 0.95));
            return ((double)centre, Math.Max(0.5, MiddleBand * (high - low + 1)));
        }).ToArray();
        return (middles, totals);
    }

    private static int Level(byte value) => value * Levels >> 8;

    /// <summary>The bounds of the pixels of any class but background (none: an empty box, so nothing has a layout cell).</summary>
    private static Box PersonBox(byte[] classes, int side)
    {
        var (left, top, right, bottom) = (side, side, -1, -1);
        for (var p = 0; p < classes.Length; p++)
        {
            if (CaptionerSpec.SchemeClass(classes[p]) == 0) continue;
            var (x, y) = (p % side, p / side);
            (left, top, right, bottom) = (Math.Min(left, x), Math.Min(top, y), Math.Max(right, x), Math.Max(bottom, y));
        }
        return new Box(left, top, right, bottom);
    }

    private readonly record struct Box(int Left, int Top, int Right, int Bottom)
    {
        /// <summary>The layout cell of a pixel inside the box, row-major; -1 outside it.</summary>
        public int Cell(int x, int y) => x < Left || x > Right || y < Top || y > Bottom ? -1
            : (y - Top) * LayoutSide / (Bottom - Top + 1) * LayoutSide + (x - Left) * LayoutSide / (Right - Left + 1);
    }
}
