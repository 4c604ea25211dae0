using AnnotateAnyone.Model.Diffusion;
using TorchSharp;
using static TorchSharp.torch;

namespace AnnotateAnyone.Model.Tests.Diffusion;

public sealed class HolaLossTests
{
    // Four pixels (a 2 x 2 attention map), six token positions; the group owns tokens 2 and 3.
    private static readonly float[] Mask = [1, 0, 0, 1];

    private static HolaTargets Targets() => new(
        tensor(new float[] { 0, 0, 1, 1, 0, 0 }, [1, 1, 6]),
        tensor(Mask, [1, 1, 4]),
        tensor(new float[] { 1 }, [1, 1]));

    /// <summary>Attention [1, pixels, tokens] whose group tokens' maps are <paramref name="groupMap"/>; other tokens take the rest.</summary>
    private static Tensor Maps(float[] groupMap)
    {
        var values = new float[4 * 6];
        for (var p = 0; p < 4; p++)
        {
            values[p * 6 + 2] = values[p * 6 + 3] = groupMap[p];
            values[p * 6] = 1 - 2 * groupMap[p];
        }
        return tensor(values, [1, 4, 6]);
    }

    [Fact]
    public void Maps_equal_to_the_mask_cost_nothing()
    {
        using var targets = Targets();

        var loss = HolaLoss.Compute([Maps([1, 0, 0, 1])], targets).item<float>();

        Assert.Equal(0f, loss, 6);
    }

    [Fact]
    public void Maps_equal_to_the_masks_complement_cost_the_most()
    {
        using var targets = Targets();
        var complement = HolaLoss.Compute([Maps(Mask.Select(m => 1 - m).ToArray())], targets).item<float>();

        // Every pixel's error is 1 for each token's map and for their mean: 1 + 1.
        Assert.Equal(2f, complement, 5);
        var random = new Random(3);
        for (var i = 0; i < 50; i++)
        {
            var map = Enumerable.Range(0, 4).Select(_ => (float)random.NextDouble() * 0.5f).ToArray();
            Assert.True(HolaLoss.Compute([Maps(map)], targets).item<float>() < complement);
        }
    }

    [Fact]
    public void A_slot_without_a_mask_is_left_out_and_layers_are_averaged()
    {
        using var targets = new HolaTargets(
            tensor(new float[] { 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1, 0 }, [1, 2, 6]),
            tensor(Mask.Concat(Mask).ToArray(), [1, 2, 4]),
            tensor(new float[] { 1, 0 }, [1, 2]));
        var perfect = Maps([1, 0, 0, 1]);
        var opposite = Maps([0, 1, 1, 0]);

        Assert.Equal(0f, HolaLoss.Compute([perfect], targets).item<float>(), 6);
        Assert.Equal(1f, HolaLoss.Compute([perfect, opposite], targets).item<float>(), 5);
    }

    [Fact]
    public void Gradients_reach_the_attention_and_through_it_the_query_and_key_projections()
    {
        torch.random.manual_seed(2);
        var probe = new AttentionProbe(2) { Recording = true };
        using var attention = new Attention(8, 8, heads: 2, probe, side: 2);
        var pixels = randn(1, 4, 8);
        var tokens = randn(1, 6, 8);
        using var targets = Targets();

        attention.call(pixels, tokens);
        var map = Assert.Single(probe.Maps);
        map.retain_grad();
        HolaLoss.Compute(probe.Maps, targets).backward();

        Assert.True(map.grad!.abs().sum().item<float>() > 0);
        var gradients = attention.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad);
        Assert.True(gradients["to_q.weight"]!.abs().sum().item<float>() > 0, "no gradient on to_q");
        Assert.True(gradients["to_k.weight"]!.abs().sum().item<float>() > 0, "no gradient on to_k");
        // The loss looks at where attention goes, not at what it carries.
        Assert.True(gradients["to_v.weight"] is null || gradients["to_v.weight"]!.abs().sum().item<float>() == 0);
    }

    [Fact]
    public void Targets_take_each_groups_mask_from_its_parsing_classes_and_its_tokens_from_its_span()
    {
        var example = new ToyPeople(1, seed: 1).Get(0);
        var caption = new CaptionDiscretizer(new CaptionTokenizer(ToyPeople.Spec().Vocabulary), 16).Compose(example.Groups);

        using var targets = HolaTargets.Build([caption], [example.ParsingMap], ToyPeople.Size, ToyPeople.Size, 16, CPU);

        var hat = caption.Groups.Single(g => g.Key == "headwear");
        var slot = caption.Groups.ToList().IndexOf(hat);
        var mask = targets.Masks[0, slot].data<float>().ToArray();
        Assert.Equal(6 * 4, mask.Sum(), 3);
        Assert.Equal(1f, mask[5]);
        Assert.Equal(0f, mask[4 * ToyPeople.Size + 5]);
        var tokens = targets.Tokens[0, slot].data<float>().ToArray();
        Assert.Equal(Enumerable.Range(0, 16).Select(t => t >= hat.Start && t < hat.End ? 1f : 0f), tokens);
        Assert.Equal(2, hat.End - hat.Start);
    }
}
