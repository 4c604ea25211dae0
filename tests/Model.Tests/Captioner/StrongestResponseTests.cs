using AnnotateAnyone.Model.Captioner;
using static TorchSharp.torch;

namespace AnnotateAnyone.Model.Tests.Captioner;

public sealed class StrongestResponseTests
{
    [Fact]
    public void A_one_cell_detail_reaches_its_region_whole_and_only_its_cell_learns_from_it()
    {
        // One image, two channels over four cells; region 0 covers cells 0-2, region 1 only cell 3. A collar lights
        // channel 0 in cell 1: the region's mean would read a third of it, the strongest response reads all of it.
        using var features = tensor(new float[] { 0.1f, 0.9f, 0.1f, 5f, 0.2f, 0.2f, 0.4f, 0.3f }, [1, 2, 4]).requires_grad_();
        using var masks = tensor(new float[] { 1, 1, 1, 0, 0, 0, 0, 1 }, [1, 2, 4]);

        using var strongest = CaptionerNetwork.Strongest(features, masks);

        Assert.Equal(new long[] { 1, 2, 2 }, strongest.shape);
        Assert.Equal(new[] { 0.9f, 0.4f, 5f, 0.3f }, strongest.data<float>().ToArray());
        strongest.sum().backward();
        // The gradient goes to the winning cell of each channel and region, nowhere else.
        Assert.Equal(new[] { 0f, 1f, 0f, 1f, 0f, 0f, 1f, 1f }, features.grad!.data<float>().ToArray());
    }
}
