namespace AnnotateAnyone.Model.Captioner;

/// <summary>
/// Temperature scaling (Guo et al. 2017): one scalar per head that divides the logits, fitted on held-out labels
/// by minimising their negative log-likelihood; it changes no answer, only how sure the model says it is.
/// </summary>
public static class Calibration
{
    private static readonly float[] Candidates = Enumerable.Range(0, 61).Select(i => MathF.Pow(10, -0.5f + i / 40f)).ToArray();

    /// <summary>The temperature (between 0.3 and 10) that minimises held-out negative log-likelihood.</summary>
    public static float FitTemperature(IReadOnlyList<(float[] Logits, int Target)> heldOut, bool multipleChoice)
    {
        if (heldOut.Count == 0) return 1f;
        return Candidates.MinBy(t => heldOut.Sum(e => -Math.Log(Math.Max(1e-12, HeadDecoding.TargetProbability(e.Logits, multipleChoice, e.Target, t)))));
    }

    /// <summary>Expected calibration error over equal-width confidence bins: how far stated confidence is from accuracy.</summary>
    public static double ExpectedCalibrationError(IReadOnlyList<(float Confidence, bool Correct)> outcomes, int bins = 10)
    {
        if (outcomes.Count == 0) return double.NaN;
        return outcomes.GroupBy(o => Math.Min(bins - 1, (int)(o.Confidence * bins)))
            .Sum(bin => bin.Count() / (double)outcomes.Count * Math.Abs(bin.Average(o => o.Confidence) - bin.Average(o => o.Correct ? 1.0 : 0.0)));
    }
}
