using AnnotateAnyone.Model.Diffusion;

namespace AnnotateAnyone.Model.Tests.Diffusion;

public sealed class CaptionDiscretizerTests
{
    private static readonly CaptionTokenizer Tokenizer = new(CaptionTokenizer.VocabularyOf(
        ["a full-body shot", "an adult woman", "slim build", "red cap", "blue jeans", "white shirt", "black sneakers", "silver watch"]));

    private static readonly IReadOnlyList<CaptionGroup> Groups =
    [
        new("shot", "a full-body shot", GroupPlacement.Fixed, []),
        new("person", "an adult woman", GroupPlacement.Fixed, [1, 2]),
        new("body", "slim build", GroupPlacement.Fixed, [1, 2]),
        new("headwear", "red cap", GroupPlacement.Shuffled, [1]),
        new("top", "white shirt", GroupPlacement.Shuffled, [4]),
        new("bottom", "blue jeans", GroupPlacement.Shuffled, [6]),
        new("shoes", "black sneakers", GroupPlacement.Shuffled, [9, 10]),
        new("jewelry", "silver watch", GroupPlacement.Optional, [14]),
    ];

    private static string Words(DiscreteCaption caption, GroupTokens group) =>
        string.Join(" ", caption.TokenIds[group.Start..group.End].Select(id => Tokenizer.Vocabulary[id - 4]));

    [Fact]
    public void Without_randomness_groups_follow_taxonomy_order_and_every_span_holds_its_groups_words()
    {
        var caption = new CaptionDiscretizer(Tokenizer, 77).Compose(Groups);

        Assert.Equal("a full-body shot, an adult woman, slim build, red cap, white shirt, blue jeans, black sneakers, silver watch", caption.Text);
        Assert.Equal(Groups.Select(g => g.Key), caption.Groups.Select(g => g.Key));
        foreach (var group in caption.Groups)
            Assert.Equal(Groups.Single(g => g.Key == group.Key).Phrase, Words(caption, group));
        Assert.Equal(CaptionTokenizer.Start, caption.TokenIds[0]);
        Assert.Equal(CaptionTokenizer.End, caption.TokenIds[caption.Groups[^1].End]);
        Assert.All(caption.TokenIds[(caption.Groups[^1].End + 1)..], id => Assert.Equal(CaptionTokenizer.Pad, id));
    }

    [Fact]
    public void Fixed_groups_lead_in_order_while_the_others_are_shuffled_per_sample()
    {
        var discretizer = new CaptionDiscretizer(Tokenizer, 77, dropProbability: 0, optionalDropProbability: 0);
        var orders = new HashSet<string>();
        for (var seed = 0; seed < 20; seed++)
        {
            var caption = discretizer.Compose(Groups, new Random(seed));
            Assert.Equal(["shot", "person", "body"], caption.Groups.Take(3).Select(g => g.Key));
            Assert.Equal(Groups.Count, caption.Groups.Count);
            foreach (var group in caption.Groups) Assert.Equal(Groups.Single(g => g.Key == group.Key).Phrase, Words(caption, group));
            orders.Add(string.Join(",", caption.Groups.Skip(3).Select(g => g.Key)));
        }
        Assert.True(orders.Count > 5, $"only {orders.Count} orders in 20 samples");
    }

    [Fact]
    public void Groups_are_dropped_with_their_probability_and_fixed_ones_never()
    {
        var dropAll = new CaptionDiscretizer(Tokenizer, 77, dropProbability: 1, optionalDropProbability: 1).Compose(Groups, new Random(1));
        Assert.Equal(["shot", "person", "body"], dropAll.Groups.Select(g => g.Key));

        var halfOptional = new CaptionDiscretizer(Tokenizer, 77, dropProbability: 0, optionalDropProbability: 0.5);
        var kept = Enumerable.Range(0, 400).Count(seed => halfOptional.Compose(Groups, new Random(seed)).Groups.Any(g => g.Key == "jewelry"));
        Assert.InRange(kept, 150, 250);
    }

    [Fact]
    public void Trailing_groups_that_pass_the_token_limit_are_cut_whole()
    {
        // Start + "a full-body shot" (3) + ", an adult woman" (4) + ", slim build" (3) + end = 12 tokens.
        var caption = new CaptionDiscretizer(Tokenizer, 13).Compose(Groups);

        Assert.Equal("a full-body shot, an adult woman, slim build", caption.Text);
        Assert.Equal(13, caption.TokenIds.Length);
        Assert.Equal(CaptionTokenizer.End, caption.TokenIds[11]);
    }

    [Fact]
    public void Words_outside_the_vocabulary_are_reported_and_encoded_as_unknown()
    {
        Assert.Equal(["tiara"], Tokenizer.UnknownWords("a red cap, a Tiara"));
        Assert.Contains(Tokenizer.Tokenize("a tiara"), t => t.Id == CaptionTokenizer.Unknown);
        Assert.Empty(Tokenizer.UnknownWords("A Full-Body shot, RED cap"));
    }
}
