using AnnotateAnyone.Data.ModelRegistry;

namespace AnnotateAnyone.Data.Tests.ModelRegistry;

public sealed class CaptionerMetricsTests
{
    [Fact]
    public void A_version_gives_the_share_it_recorded_and_one_that_recorded_none_its_held_out_fraction()
    {
        var recorded = CaptionerMetrics.From(new CaptionerMetrics(0.8, 1, 800, 200, [], null, null, ValidationShare: 0.3).ToDocument())!;
        var older = CaptionerMetrics.From(new CaptionerMetrics(0.8, 1, 800, 200, [], null, null).ToDocument())!;

        Assert.Equal(0.3, recorded.HeldOutShare, precision: 6);
        Assert.Equal(0.2, older.HeldOutShare, precision: 6);
    }

    [Fact]
    public void A_version_names_the_encoder_it_recorded_and_one_that_recorded_none_no_encoder()
    {
        var names = new[] { "ResNet18", "Compact", null }
            .Select(encoder => CaptionerMetrics.From(new CaptionerMetrics(0.8, 1, 800, 200, [], null, null, Encoder: encoder).ToDocument())!.EncoderName);

        Assert.Equal(["ResNet-18", "compact", ""], names);
    }
}
