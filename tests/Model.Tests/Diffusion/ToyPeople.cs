using AnnotateAnyone.Model.Diffusion;

namespace AnnotateAnyone.Model.Tests.Diffusion;

/// <summary>
/// Tiny "people" with a parsing map: a coloured hat on top (class 1), a top in the middle (class 4) and coloured
/// trousers below (class 6) on grey, captioned by group, so Daring's pieces can be tested in seconds.
/// </summary>
internal sealed class ToyPeople : IDaringData
{
    public const int Size = 16;

    private static readonly (string Name, byte R, byte G, byte B)[] Colours = [("red", 220, 40, 40), ("green", 40, 200, 60), ("blue", 40, 60, 220), ("yellow", 230, 220, 40)];

    private readonly List<DaringExample> _examples = [];

    public ToyPeople(int count, int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var hat = Colours[random.Next(Colours.Length)];
            var trousers = Colours[random.Next(Colours.Length)];
            var pixels = new byte[Size * Size * 3];
            var map = new byte[Size * Size];
            for (var y = 0; y < Size; y++)
                for (var x = 0; x < Size; x++)
                {
                    var (cls, colour) = y < 4 && x is >= 5 and < 11 ? (1, hat)
                        : y is >= 4 and < 10 && x is >= 5 and < 11 ? (4, ("white", (byte)240, (byte)240, (byte)240))
                        : y >= 10 && x is >= 4 and < 12 ? (6, trousers)
                        : (0, ("grey", (byte)128, (byte)128, (byte)128));
                    map[y * Size + x] = (byte)cls;
                    pixels[(y * Size + x) * 3] = colour.Item2;
                    pixels[(y * Size + x) * 3 + 1] = colour.Item3;
                    pixels[(y * Size + x) * 3 + 2] = colour.Item4;
                }
            _examples.Add(new DaringExample(pixels, map, Groups(hat.Name, trousers.Name)));
        }
    }

    public static IReadOnlyList<CaptionGroup> Groups(string hat, string trousers) =>
    [
        new("shot", "a full-body shot", GroupPlacement.Fixed, [1, 4, 6]),
        new("headwear", $"{hat} cap", GroupPlacement.Shuffled, [1]),
        new("top", "white shirt", GroupPlacement.Shuffled, [4]),
        new("bottom", $"{trousers} trousers", GroupPlacement.Shuffled, [6]),
    ];

    public static DiffusionSpec Spec() => new()
    {
        ImageSize = Size,
        BlockChannels = [16, 32],
        CrossAttention = [false, true],
        NormGroups = 8,
        AttentionHeads = 2,
        TextWidth = 32,
        TextLayers = 1,
        MaxTokens = 16,
        HolaResolution = 8,
        TrainTimesteps = 100,
        BetaEnd = 0.2,
        Vocabulary = CaptionTokenizer.VocabularyOf(Colours.Select(c => c.Name).Concat(["a full-body shot", "cap", "white shirt", "trousers"])),
    };

    public int Count => _examples.Count;

    public DaringExample Get(int index) => _examples[index];
}
