using AnnotateAnyone.Data.Captions;
using AnnotateAnyone.Data.Taxonomy;

namespace AnnotateAnyone.Data.Tests.Captions;

public sealed class CaptionComposerTests
{
    private static readonly TaxonomyVersion Taxonomy = NumberedTaxonomy.Of(DefaultTaxonomy.Spec);
    private static readonly TaxonomyIndex Index = new(Taxonomy);
    private readonly CaptionComposer _composer = new();

    private static Dictionary<int, int[]> Labels(params (string Key, string[] Values)[] labels) =>
        labels.ToDictionary(l => Index.Find(l.Key)!.Id, l => l.Values.Select(v => TaxonomyIndex.FindValue(Index.Find(l.Key)!, v)!.Id).ToArray());

    [Fact]
    public void The_shot_comes_first_then_each_group_as_adjectives_and_noun_in_taxonomy_order()
    {
        var caption = _composer.Compose(Taxonomy, Labels(
            ("hair.color", ["brown"]), ("hair.length", ["long"]), ("hair.style", ["wavy"]),
            ("shot.shot_type", ["full_body"]), ("person.age", ["young_adult"]), ("person.gender_presentation", ["feminine"]),
            ("body.build", ["slim"]),
            ("top.color", ["red"]), ("top.material", ["cotton"]), ("top.sleeve_length", ["short_sleeve"]), ("top.type", ["t_shirt"])));

        Assert.Equal("a full-body shot, a young adult woman, slim build, wavy long brown hair, cotton short sleeve red t-shirt", caption.Text);
    }

    [Theory]
    [InlineData("child", "feminine", "a girl")]
    [InlineData("child", "masculine", "a boy")]
    [InlineData("child", "androgynous", "a child")]
    [InlineData("teenager", "feminine", "a teenage girl")]
    [InlineData("teenager", "androgynous", "a teenager")]
    [InlineData("elderly", "masculine", "an elderly man")]
    public void A_young_person_is_named_with_the_one_english_word_for_their_age_and_gender(string age, string gender, string person)
    {
        var caption = _composer.Compose(Taxonomy, Labels(("person.age", [age]), ("person.gender_presentation", [gender])));

        Assert.Equal(person, caption.Text);
    }

    [Fact]
    public void Every_word_a_caption_can_hold_is_among_the_taxonomys_phrases()
    {
        var words = CaptionComposer.PhrasesOf(DefaultTaxonomy.Spec).SelectMany(p => p.Split(' ')).ToHashSet();

        Assert.Contains("girl", words);
        Assert.Contains("teenage", words);
        Assert.Contains("hair", words);
    }

    [Fact]
    public void Each_group_keeps_its_own_span()
    {
        var caption = _composer.Compose(Taxonomy, Labels(("shot.shot_type", ["headshot"]), ("headwear.type", ["cap"]), ("headwear.color", ["red"])));

        Assert.Equal(["shot", "headwear"], caption.Spans.Select(s => s.GroupKey));
        Assert.Equal("red cap", caption.TextOf("headwear"));
        Assert.Equal("a headshot", caption.TextOf("shot"));
    }

    [Fact]
    public void Unknown_values_are_skipped_and_an_absent_garment_drops_its_group()
    {
        var caption = _composer.Compose(Taxonomy, Labels(("coat.type", ["none"]), ("coat.color", ["blue"]), ("hair.color", ["black"]), ("eyewear.type", ["none"])));

        Assert.Equal("black hair", caption.Text);
    }

    [Fact]
    public void Without_its_type_the_group_name_stands_in_for_the_noun()
    {
        Assert.Equal("red top", _composer.Compose(Taxonomy, Labels(("top.color", ["red"]))).Text);
        Assert.Equal("an elderly person", _composer.Compose(Taxonomy, Labels(("person.age", ["elderly"]))).Text);
    }

    [Fact]
    public void Multiple_choices_are_joined_with_and()
    {
        var caption = _composer.Compose(Taxonomy, Labels(("jewelry.metal", ["gold"]), ("jewelry.items", ["ring", "necklace", "earrings"])));
        Assert.Equal("gold necklace, earrings and ring", caption.Text);
    }

    [Fact]
    public void Composition_is_deterministic_whatever_order_the_labels_come_in()
    {
        var labels = Labels(("hair.color", ["brown"]), ("shoes.type", ["boots"]), ("shot.shot_type", ["portrait"]));
        var reversed = labels.Reverse().ToDictionary();
        Assert.Equal(_composer.Compose(Taxonomy, labels).Text, _composer.Compose(Taxonomy, reversed).Text);
    }

    [Fact]
    public void A_caption_longer_than_the_text_encoder_takes_is_reported()
    {
        var everything = Index.Attributes.ToDictionary(a => a.Id, a => new[] { a.Values.First(v => !v.MarksAbsent).Id });
        var caption = _composer.Compose(Taxonomy, everything);

        Assert.True(caption.ExceedsTokenLimit, $"{caption.TokenCount} tokens: {caption.Text}");
        Assert.False(_composer.Compose(Taxonomy, Labels(("hair.color", ["brown"]))).ExceedsTokenLimit);
    }

    /// <summary>Every group of the default taxonomy, alone, composes into its own words ending with its noun.</summary>
    [Theory]
    [MemberData(nameof(Groups))]
    public void Every_group_of_the_default_taxonomy_composes_on_its_own(string groupKey)
    {
        var group = Taxonomy.Groups.Single(g => g.Key == groupKey);
        var labels = group.Attributes.ToDictionary(a => a.Id, a => new[] { a.Values.Where(v => !v.MarksAbsent && v.Phrase.Length > 0).Last().Id });

        var caption = _composer.Compose(Taxonomy, labels);

        Assert.Equal(groupKey, caption.Spans.Single().GroupKey);
        var noun = group.Attributes.FirstOrDefault(a => a.IsTypeNoun) is { } typeNoun
            ? typeNoun.Values.Single(v => labels[typeNoun.Id].Contains(v.Id)).Phrase
            : group.Noun!;
        Assert.EndsWith(noun, caption.Text);
    }

    public static TheoryData<string> Groups() => new(DefaultTaxonomy.Spec.Groups.Select(g => g.Key));
}
