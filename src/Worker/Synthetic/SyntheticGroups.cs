using AnnotateAnyone.Data.Taxonomy;

namespace AnnotateAnyone.Worker.Synthetic;

/// <summary>The default taxonomy's groups by position: the values drawn into the generator's group map.</summary>
public static class SyntheticGroups
{
    private static readonly Dictionary<string, byte> Positions =
        DefaultTaxonomy.Spec.Groups.Select((g, i) => (g.Key, (byte)i)).ToDictionary(x => x.Key, x => x.Item2);

    public static byte Index(string group) => Positions[group];

    public static string Key(byte index) => DefaultTaxonomy.Spec.Groups[index].Key;
}
