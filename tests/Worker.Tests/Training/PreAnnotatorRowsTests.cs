using AnnotateAnyone.Data.Taxonomy;
using AnnotateAnyone.Model.Captioner;
using AnnotateAnyone.Worker.Training;

namespace AnnotateAnyone.Worker.Tests.Training;

public sealed class PreAnnotatorRowsTests
{
    [Fact]
    public void A_captioner_trained_before_a_value_or_an_attribute_was_retired_proposes_everything_else()
    {
        // The captioner knows the default taxonomy; the active version has since lost black hair and the season.
        var spec = new CaptionerSpec(128, [32, 64, 128, 192], CaptionerHeads.For(DefaultTaxonomy.Spec));
        var active = TaxonomyEdits.RetireAttribute(TaxonomyEdits.RetireValue(DefaultTaxonomy.Spec, "hair.color", "black"), "style.season");
        int Head(string key) => spec.Heads.Select((h, i) => (h, i)).Single(x => x.h.Attribute == key).i;
        int Value(string key, string value) => spec.Heads[Head(key)].Values.ToList().IndexOf(value);
        HeadPrediction Answer(int head) => head == Head("hair.color") ? new([Value("hair.color", "black")], 0.9f)
            : head == Head("hair.length") ? new([Value("hair.length", "long")], 0.8f)
            : head == Head("style.season") ? new([Value("style.season", "summer")], 0.7f)
            : new([], 0f);
        var prediction = new CaptionerPrediction(spec.Heads.Select((_, h) => Answer(h)).ToList(), 0.99f);

        var rows = PreAnnotator.Rows([42], [prediction], spec, new TaxonomyIndex(NumberedTaxonomy.Of(active))).ToList();

        var row = Assert.Single(rows)!;
        Assert.Equal((42L, "hair.length", "long"), (row.Image!.Value, row.Attribute!, row.Values!.Single()));
    }
}
