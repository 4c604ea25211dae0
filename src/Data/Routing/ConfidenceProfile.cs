namespace AnnotateAnyone.Data.Routing;

/// <summary>
/// How an attribute's answers fared by confidence: counts of correct and total answers in 100 bins of
/// confidence, from held-out labels (and the audit sample). Small enough to keep per model version, rich enough
/// to find the threshold for any accuracy target later.
/// </summary>
public sealed record ConfidenceProfile(int[] Correct, int[] Total)
{
    public const int Bins = 100;

    /// <summary>A fresh profile with no answers (a new instance each time: its bins are filled in place).</summary>
    public static ConfidenceProfile Empty => new(new int[Bins], new int[Bins]);

    public static ConfidenceProfile From(IEnumerable<(float Confidence, bool Correct)> outcomes)
    {
        var (correct, total) = (new int[Bins], new int[Bins]);
        foreach (var (confidence, isCorrect) in outcomes)
        {
            var bin = Math.Clamp((int)(confidence * Bins), 0, Bins - 1);
            total[bin]++;
            if (isCorrect) correct[bin]++;
        }
        return new ConfidenceProfile(correct, total);
    }

    public int Count => Total.Sum();

    public double Accuracy => Count == 0 ? double.NaN : Correct.Sum() / (double)Count;

    public ConfidenceProfile Plus(ConfidenceProfile other) =>
        new(Correct.Zip(other.Correct, (a, b) => a + b).ToArray(), Total.Zip(other.Total, (a, b) => a + b).ToArray());

    /// <summary>
    /// The lowest confidence at which the answers at or above it still meet <paramref name="target"/> with the
    /// Wilson lower bound at <paramref name="z"/>; null when no threshold does (every answer goes to a human).
    /// Only bins that hold answers count: a threshold never reaches down into confidences no evidence has seen.
    /// </summary>
    public float? Threshold(double target, double z)
    {
        float? lowest = null;
        var (correct, total) = (0, 0);
        for (var bin = Bins - 1; bin >= 0; bin--)
        {
            correct += Correct[bin];
            total += Total[bin];
            if (Total[bin] > 0 && Wilson.LowerBound(correct, total, z) >= target) lowest = bin / (float)Bins;
        }
        return lowest;
    }
}

public static class Wilson
{
    /// <summary>The Wilson score interval's lower bound for <paramref name="successes"/> out of <paramref name="trials"/>.</summary>
    public static double LowerBound(int successes, int trials, double z)
    {
        if (trials == 0) return 0;
        var p = successes / (double)trials;
        var z2 = z * z;
        return (p + z2 / (2 * trials) - z * Math.Sqrt(p * (1 - p) / trials + z2 / (4.0 * trials * trials))) / (1 + z2 / trials);
    }

    /// <summary>The Wilson score interval's upper bound (1 with no trials).</summary>
    public static double UpperBound(int successes, int trials, double z) => 1 - LowerBound(trials - successes, trials, z);
}
