using AnnotateAnyone.Model.Captioner;

namespace AnnotateAnyone.Model.Tests.Captioner;

/// <summary>
/// Pictures whose labels the pixels decide: the colour of the upper half (one of three), and in the lower half a
/// white square and a white bar along the bottom edge (either, both or none; nothing that a mirror image would
/// change, since training flips pictures); every fifth picture is flat grey, not usable. Each comes with its
/// parsing map: the coloured half is upper clothes, the rest background.
/// </summary>
public sealed class ToyPictures : ICaptionerData
{
    public const int Size = 32;

    public static CaptionerSpec Spec(params int[] widths) => new(Size, widths.Length == 0 ? [8, 8, 16, 16] : widths,
    [
        new HeadSpec("top.color", ["red", "green", "blue"], MultipleChoice: false, Region: [UpperClothes]),
        new HeadSpec("accessories.marks", ["square", "bar"], MultipleChoice: true),
    ]);

    public const short UpperClothes = 4;

    public static int ParsingSide => CaptionerNetwork.ParsingSide(Size);

    /// <summary>The class of each parsing cell, as the cells' class shares (all of a cell in its one class).</summary>
    public static int[] ClassOfCells(CaptionerExample example) => Enumerable.Range(0, ParsingSide * ParsingSide)
        .Select(cell => Enumerable.Range(0, CaptionerSpec.ParsingClassCount).MaxBy(c => example.Parsing!.Shares[cell * CaptionerSpec.ParsingClassCount + c])).ToArray();

    /// <summary>The map of a picture whose cells each hold one class, as the captioner reads it beside the pixels.</summary>
    private static GivenParsing Map(byte[] pixels, Func<int, int> classOfCell)
    {
        var shares = new byte[ParsingSide * ParsingSide * CaptionerSpec.ParsingClassCount];
        for (var cell = 0; cell < ParsingSide * ParsingSide; cell++) shares[cell * CaptionerSpec.ParsingClassCount + classOfCell(cell)] = 255;
        var cellSide = Size / ParsingSide;
        var classes = Enumerable.Range(0, Size * Size).Select(p => (byte)classOfCell(p / Size / cellSide * ParsingSide + p % Size / cellSide)).ToArray();
        return new GivenParsing(shares, RegionReads.Of(pixels, classes, Spec()), Face: [], ParsingGeometry.Of(classes, Size, Size));
    }

    private readonly List<CaptionerExample> _examples;

    public ToyPictures(int count, int seed)
    {
        var random = new Random(seed);
        _examples = Enumerable.Range(0, count).Select(_ => Draw(random)).ToList();
    }

    public int Count => _examples.Count;

    public CaptionerExample Get(int index) => _examples[index];

    public IReadOnlyList<byte[]> Pixels => _examples.Select(e => e.Pixels).ToList();

    private static CaptionerExample Draw(Random random)
    {
        var pixels = new byte[Size * Size * 3];
        if (random.Next(5) == 0)
        {
            Array.Fill(pixels, (byte)128);
            return new CaptionerExample(pixels, [-1, -1], 0, Map(pixels, _ => 0));
        }
        var color = random.Next(3);
        var marks = random.Next(4);
        var squareX = random.Next(Size - 8);
        for (var y = 0; y < Size; y++)
        for (var x = 0; x < Size; x++)
        {
            var at = (y * Size + x) * 3;
            var noise = random.Next(40);
            if (y < Size / 2) pixels[at + color] = (byte)(200 + random.Next(55));
            else if ((marks & 1) != 0 && y >= Size / 2 + 4 && y < Size / 2 + 12 && x >= squareX && x < squareX + 8 || (marks & 2) != 0 && y >= Size - 3)
                pixels[at] = pixels[at + 1] = pixels[at + 2] = (byte)(215 + random.Next(40));
            else pixels[at] = pixels[at + 1] = pixels[at + 2] = (byte)noise;
        }
        return new CaptionerExample(pixels, [color, marks], 1, Map(pixels, cell => cell < ParsingSide * ParsingSide / 2 ? UpperClothes : 0));
    }
}

/// <summary>Records losses and keeps checkpoints; can stop the run after a step, as a killed Worker would.</summary>
public sealed class RecordingObserver(int stopAfter = int.MaxValue) : ITrainingObserver
{
    public List<double> Losses { get; } = [];
    public Dictionary<int, byte[]> Checkpoints { get; } = [];

    public void Step(int step, int totalSteps, double loss) => Losses.Add(loss);

    public void Checkpoint(int step, Action<Stream> write)
    {
        using var buffer = new MemoryStream();
        write(buffer);
        Checkpoints[step] = buffer.ToArray();
    }

    public bool CancellationRequested => Losses.Count >= stopAfter;
}
