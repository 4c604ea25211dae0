namespace AnnotateAnyone.Model.Captioner;

/// <summary>A head's answer: the value indices it picks (one for single choice) and how sure it is.</summary>
public sealed record HeadPrediction(int[] Values, float Confidence);

/// <summary>
/// Turns one head's logits into an answer at a temperature. Single choice: the most probable value, with its
/// softmax probability. Multiple choice: every value above one half, with the confidence of the least certain
/// of those yes/no calls (an answer is only as sure as its weakest part).
/// </summary>
public static class HeadDecoding
{
    public static HeadPrediction Decode(ReadOnlySpan<float> logits, bool multipleChoice, float temperature)
    {
        if (multipleChoice)
        {
            var values = new List<int>();
            var confidence = 1f;
            for (var v = 0; v < logits.Length; v++)
            {
                var p = Sigmoid(logits[v] / temperature);
                if (p > 0.5f) values.Add(v);
                confidence = Math.Min(confidence, Math.Max(p, 1 - p));
            }
            return new HeadPrediction([.. values], confidence);
        }
        var best = 0;
        for (var v = 1; v < logits.Length; v++) if (logits[v] > logits[best]) best = v;
        return new HeadPrediction([best], Softmax(logits, temperature)[best]);
    }

    /// <summary>The probability the head gives its target (for the calibration fit): softmax for single, product of yes/no for multiple.</summary>
    public static double TargetProbability(ReadOnlySpan<float> logits, bool multipleChoice, int target, float temperature)
    {
        if (!multipleChoice) return Softmax(logits, temperature)[target];
        var probability = 1.0;
        for (var v = 0; v < logits.Length; v++)
        {
            var p = Sigmoid(logits[v] / temperature);
            probability *= (target >> v & 1) == 1 ? p : 1 - p;
        }
        return probability;
    }

    public static bool IsCorrect(HeadPrediction prediction, int target, bool multipleChoice) =>
        multipleChoice ? prediction.Values.Aggregate(0, (mask, v) => mask | 1 << v) == target : prediction.Values[0] == target;

    private static float[] Softmax(ReadOnlySpan<float> logits, float temperature)
    {
        var max = float.MinValue;
        foreach (var l in logits) max = Math.Max(max, l / temperature);
        var exp = new float[logits.Length];
        var sum = 0f;
        for (var v = 0; v < logits.Length; v++) sum += exp[v] = MathF.Exp(logits[v] / temperature - max);
        for (var v = 0; v < exp.Length; v++) exp[v] /= sum;
        return exp;
    }

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));
}
