using AnnotateAnyone.Data.Review;

namespace AnnotateAnyone.Data.Tests.Review;

public sealed class AgreementTests
{
    private static readonly IReadOnlyList<string>[] TwoRaters = [["a", "a"], ["a", "b"], ["b", "b"], ["b", "b"]];

    private static Agreement Of(IEnumerable<IReadOnlyList<string>> units)
    {
        var agreement = new Agreement();
        foreach (var values in units) agreement.Add(values);
        return agreement;
    }

    [Fact]
    public void Percent_agreement_counts_agreeing_pairs() => Assert.Equal(0.75, Of(TwoRaters).PercentAgreement);

    [Fact]
    public void Cohens_kappa_discounts_chance_agreement()
    {
        // Observed 0.75; the raters' marginals (a: .5/.25, b: .5/.75) predict 0.5 by chance.
        Assert.Equal(0.5, Of(TwoRaters).CohensKappa, 6);
    }

    [Fact]
    public void Krippendorffs_alpha_matches_the_coincidence_matrix_by_hand()
    {
        // o_aa = 2, o_ab = o_ba = 1, o_bb = 4; n = 8, n_a = 3, n_b = 5: alpha = 1 - 7 * 2 / (64 - 9 - 25) = 0.5333.
        Assert.Equal(1 - 14.0 / 30, Of(TwoRaters).KrippendorffAlpha, 6);
    }

    [Fact]
    public void Krippendorffs_alpha_handles_three_raters_and_missing_answers()
    {
        IReadOnlyList<string>[] units = [["a", "a", "a"], ["b", "b"], ["a", "b", "a"], ["c"]];
        var alpha = Of(units).KrippendorffAlpha;
        Assert.InRange(alpha, 0.3, 0.9);
    }

    [Fact]
    public void Perfect_agreement_scores_one_on_every_measure()
    {
        IReadOnlyList<string>[] units = [["a", "a"], ["b", "b"], ["c", "c"]];
        var agreement = Of(units);
        Assert.Equal((1.0, 1.0, 1.0), (agreement.PercentAgreement, agreement.CohensKappa, agreement.KrippendorffAlpha));
    }

    [Fact]
    public void No_unit_with_two_answers_gives_no_number() => Assert.True(double.IsNaN(Of([["a"]]).KrippendorffAlpha));

    [Fact]
    public void Only_units_with_two_answers_or_more_count()
    {
        var agreement = Of([["a", "a", "b"], ["b", "b"], ["c"]]);

        Assert.Equal(2, agreement.Units);
        // Pairs: a-a agree, a-b and a-b do not, b-b agrees.
        Assert.Equal(0.5, agreement.PercentAgreement);
    }
}
