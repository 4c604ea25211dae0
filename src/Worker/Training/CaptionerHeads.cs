using AnnotateAnyone.Data.Taxonomy;
using AnnotateAnyone.Model.Captioner;

namespace AnnotateAnyone.Worker.Training;

/// <summary>
/// The captioner's heads for a taxonomy: one per attribute, keyed "group.attribute", values in the taxonomy's order,
/// each looking at its group's parsing classes.
/// </summary>
public static class CaptionerHeads
{
    public static IReadOnlyList<HeadSpec> For(TaxonomyIndex index) => index.Attributes
        .Select(a => new HeadSpec(index.KeyOf(a.Id), a.Values.OrderBy(v => v.Position).Select(v => v.Key).ToArray(), a.Kind == AttributeKind.MultipleChoice,
            index.GroupOf(a.Id).ParsingClasses.Order().ToArray()))
        .ToList();

    public static IReadOnlyList<HeadSpec> For(TaxonomySpec spec) => spec.Groups
        .SelectMany(g => g.Attributes.Select(a => new HeadSpec($"{g.Key}.{a.Key}", a.Values.Select(v => v.Key).ToArray(), a.Kind == AttributeKind.MultipleChoice,
            g.ParsingClasses.Select(c => (short)c).Order().ToArray())))
        .ToList();
}
