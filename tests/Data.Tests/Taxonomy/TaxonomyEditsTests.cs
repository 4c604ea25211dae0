using AnnotateAnyone.Data.Taxonomy;

namespace AnnotateAnyone.Data.Tests.Taxonomy;

public sealed class TaxonomyEditsTests
{
    private static AttributeSpec HairColor(TaxonomySpec spec) => spec.Groups.Single(g => g.Key == "hair").Attributes.Single(a => a.Key == "color");

    [Fact]
    public void Rewording_a_value_changes_its_caption_words_and_nothing_else()
    {
        var changed = TaxonomyEdits.RewordValue(DefaultTaxonomy.Spec, "hair.color", "blonde", "  golden blonde ");

        var (before, after) = (HairColor(DefaultTaxonomy.Spec), HairColor(changed));
        Assert.Equal("golden blonde", after.Values.Single(v => v.Key == "blonde").Phrase);
        Assert.Equal(before.Values.Select(v => v.Key), after.Values.Select(v => v.Key));
        Assert.Equal(before.Values.Where(v => v.Key != "blonde"), after.Values.Where(v => v.Key != "blonde"));
        Assert.Empty(TaxonomyValidation.Problems(changed));
    }

    [Fact]
    public void Retiring_a_value_leaves_it_out_of_the_attribute()
    {
        var changed = TaxonomyEdits.RetireValue(DefaultTaxonomy.Spec, "hair.color", "blonde");

        Assert.Equal(HairColor(DefaultTaxonomy.Spec).Values.Where(v => v.Key != "blonde"), HairColor(changed).Values);
    }

    [Theory]
    [InlineData("hair.colour", "blonde", "There is no attribute 'hair.colour'.")]
    [InlineData("hair.color", "golden", "'hair.color' has no value 'golden'.")]
    [InlineData("coat.type", "none", "'coat.type.none' says the group is not in the picture; it cannot be retired.")]
    public void Retiring_what_the_taxonomy_lacks_or_the_value_that_marks_a_group_absent_is_refused(string attribute, string value, string message)
    {
        var error = Assert.Throws<InvalidTaxonomyException>(() => TaxonomyEdits.RetireValue(DefaultTaxonomy.Spec, attribute, value));

        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Retiring_an_attribute_leaves_it_out_of_its_group_and_a_groups_last_attribute_cannot_go()
    {
        var changed = TaxonomyEdits.RetireAttribute(DefaultTaxonomy.Spec, "style.season");

        Assert.DoesNotContain(changed.Attributes, a => a.Key == "season");
        Assert.Equal(DefaultTaxonomy.Spec.Attributes.Count() - 1, changed.Attributes.Count());
        Assert.Empty(TaxonomyValidation.Problems(changed));
        var lastOfBody = TaxonomyEdits.RetireAttribute(DefaultTaxonomy.Spec, "body.build");
        Assert.Contains("Group 'body' has no attributes.", TaxonomyValidation.Problems(lastOfBody));
        Assert.Contains("There is no attribute 'style.mood'.",
            Assert.Throws<InvalidTaxonomyException>(() => TaxonomyEdits.RetireAttribute(DefaultTaxonomy.Spec, "style.mood")).Message);
    }

    [Fact]
    public void Caption_words_cannot_be_empty_when_a_value_is_added_or_reworded()
    {
        Assert.Contains("Caption words cannot be empty", Assert.Throws<InvalidTaxonomyException>(() => TaxonomyEdits.AddValue(DefaultTaxonomy.Spec, "hair.color", "silver", " ")).Message);
        Assert.Contains("Caption words cannot be empty", Assert.Throws<InvalidTaxonomyException>(() => TaxonomyEdits.RewordValue(DefaultTaxonomy.Spec, "hair.color", "blonde", "")).Message);
    }

    [Fact]
    public void Changing_the_values_of_an_attribute_the_taxonomy_lacks_is_refused_rather_than_making_an_unchanged_version()
    {
        var error = Assert.Throws<InvalidTaxonomyException>(() => TaxonomyEdits.AddValue(DefaultTaxonomy.Spec, "hair.colour", "silver", "silver"));

        Assert.Contains("There is no attribute 'hair.colour'.", error.Message);
    }
}
