using AnnotateAnyone.Data.Routing;

namespace AnnotateAnyone.Data.Tests.Routing;

public sealed class ConfidenceProfileTests
{
    [Fact]
    public void The_wilson_lower_bound_matches_the_textbook_value() =>
        // 95 of 100 at z = 1.96: the 95% interval's lower end is 0.8882.
        Assert.Equal(0.8882, Wilson.LowerBound(95, 100, 1.96), 4);

    [Fact]
    public void Few_answers_cannot_prove_a_high_target_however_right_they_are()
    {
        var profile = ConfidenceProfile.From(Enumerable.Repeat((0.99f, true), 20));

        Assert.Null(profile.Threshold(0.97, 1.645));
        Assert.NotNull(ConfidenceProfile.From(Enumerable.Repeat((0.99f, true), 200)).Threshold(0.97, 1.645));
    }

    [Fact]
    public void The_threshold_is_the_lowest_confidence_above_which_the_answers_meet_the_target()
    {
        // 500 sure and right answers at 0.955, 500 at 0.755 right only 60% of the time; nothing in between.
        var outcomes = Enumerable.Range(0, 500).Select(_ => (0.955f, true))
            .Concat(Enumerable.Range(0, 500).Select(i => (0.755f, i % 5 < 3)));
        var profile = ConfidenceProfile.From(outcomes);

        Assert.Equal(0.95f, profile.Threshold(0.97, 1.645));
        Assert.Equal(0.75f, profile.Threshold(0.75, 1.645));
        Assert.Equal(0.8, profile.Accuracy, 6);
    }

    [Fact]
    public void Profiles_add_bin_by_bin()
    {
        var a = ConfidenceProfile.From([(0.5f, true), (0.9f, false)]);
        var b = ConfidenceProfile.From([(0.5f, false)]);

        var sum = a.Plus(b);

        Assert.Equal((3, 1), (sum.Count, sum.Correct.Sum()));
        Assert.Equal(2, sum.Total[50]);
        Assert.Equal(0, ConfidenceProfile.Empty.Count);
    }

    [Fact]
    public void A_confidence_of_exactly_one_lands_in_the_top_bin() =>
        Assert.Equal(1, ConfidenceProfile.From([(1f, true)]).Total[ConfidenceProfile.Bins - 1]);
}
