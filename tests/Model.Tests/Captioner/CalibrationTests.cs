using AnnotateAnyone.Model.Captioner;

namespace AnnotateAnyone.Model.Tests.Captioner;

public sealed class CalibrationTests
{
    [Fact]
    public void Temperature_scaling_brings_an_overconfident_heads_calibration_error_down()
    {
        // Logits that pick the right value 70% of the time, each with near certainty.
        var random = new Random(12);
        var heldOut = Enumerable.Range(0, 2000).Select(_ =>
        {
            var target = random.Next(3);
            var picked = random.NextDouble() < 0.7 ? target : (target + 1 + random.Next(2)) % 3;
            var logits = new float[3];
            logits[picked] = 6f + (float)random.NextDouble();
            return (logits, target);
        }).ToList();

        double ErrorAt(float temperature) => Calibration.ExpectedCalibrationError(heldOut.Select(e =>
        {
            var answer = HeadDecoding.Decode(e.logits, multipleChoice: false, temperature);
            return (answer.Confidence, answer.Values[0] == e.target);
        }).ToList());
        var fitted = Calibration.FitTemperature(heldOut, multipleChoice: false);

        Assert.True(ErrorAt(1f) > 0.25, $"before: {ErrorAt(1f):0.000}");
        Assert.True(fitted > 1f, $"temperature {fitted}");
        Assert.True(ErrorAt(fitted) < 0.05, $"after: {ErrorAt(fitted):0.000}");
    }

    [Fact]
    public void A_head_without_held_out_labels_keeps_temperature_one()
    {
        Assert.Equal(1f, Calibration.FitTemperature([], multipleChoice: true));
        Assert.True(double.IsNaN(Calibration.ExpectedCalibrationError([])));
    }

    [Fact]
    public void A_multiple_choice_answer_takes_every_likely_value_and_is_as_sure_as_its_least_certain_call()
    {
        var answer = HeadDecoding.Decode([3f, -2f, 0.4f], multipleChoice: true, temperature: 1f);

        Assert.Equal([0, 2], answer.Values);
        Assert.Equal(1f / (1f + MathF.Exp(-0.4f)), answer.Confidence, 5);
        Assert.True(HeadDecoding.IsCorrect(answer, 0b101, multipleChoice: true));
        Assert.False(HeadDecoding.IsCorrect(answer, 0b001, multipleChoice: true));
    }

    [Fact]
    public void A_single_choice_answer_is_the_most_probable_value_at_its_softmax_probability()
    {
        var answer = HeadDecoding.Decode([1f, 2f, 0f], multipleChoice: false, temperature: 1f);

        Assert.Equal([1], answer.Values);
        Assert.Equal(MathF.Exp(2) / (MathF.Exp(1) + MathF.Exp(2) + 1), answer.Confidence, 5);
    }
}
