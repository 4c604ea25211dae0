using AnnotateAnyone.Data.Taxonomy;

namespace AnnotateAnyone.Data.Tests.Taxonomy;

public sealed class DefaultTaxonomyTests
{
    private static readonly TaxonomySpec Spec = DefaultTaxonomy.Spec;

    [Fact]
    public void The_default_taxonomy_is_valid() => Assert.Empty(TaxonomyValidation.Problems(Spec));

    [Fact]
    public void It_has_the_size_of_CosmicMan_HQ_around_20_groups_and_60_to_80_attributes()
    {
        Assert.InRange(Spec.Groups.Count, 18, 24);
        Assert.InRange(Spec.Attributes.Count(), 60, 80);
    }

    [Fact]
    public void The_first_group_is_the_shot_type_with_CosmicMan_s_five_shots()
    {
        var shot = Spec.Groups[0];
        Assert.Equal("shot", shot.Key);
        Assert.Equal(["full_body", "nearly_full_body", "upper_body", "portrait", "headshot"], shot.Attributes.Single().Values.Select(v => v.Key));
    }

    [Theory]
    [InlineData("person")] [InlineData("body")] [InlineData("background")] [InlineData("hair")] [InlineData("top")]
    [InlineData("coat")] [InlineData("dress")] [InlineData("bottom")] [InlineData("shoes")] [InlineData("belt")]
    [InlineData("scarf")] [InlineData("headwear")] [InlineData("eyewear")] [InlineData("bag")] [InlineData("style")]
    public void It_has_the_groups_the_design_names(string key) => Assert.Contains(Spec.Groups, g => g.Key == key);

    [Fact]
    public void Every_garment_group_can_say_the_garment_is_absent()
    {
        var garments = new[] { "top", "coat", "dress", "bottom", "shoes", "belt", "scarf", "headwear", "eyewear", "bag" };
        foreach (var group in Spec.Groups.Where(g => garments.Contains(g.Key)))
            Assert.Contains(group.Attributes.Single(a => a.IsTypeNoun).Values, v => v.MarksAbsent);
    }

    [Fact]
    public void Each_group_maps_to_the_parsing_classes_of_its_body_part()
    {
        ParsingClass[] Classes(string key) => Spec.Groups.Single(g => g.Key == key).ParsingClasses.ToArray();
        Assert.Equal([ParsingClass.Hair], Classes("hair"));
        Assert.Equal([ParsingClass.Hat], Classes("headwear"));
        Assert.Equal([ParsingClass.LeftShoe, ParsingClass.RightShoe], Classes("shoes"));
        Assert.Equal([ParsingClass.Background], Classes("background"));
        Assert.Equal(ParsingClasses.Foreground, Classes("shot"));
    }
}
