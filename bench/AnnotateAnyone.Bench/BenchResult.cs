using System.Globalization;

namespace AnnotateAnyone.Bench;

/// <summary>The closing line of a benchmark: the ratio first, then the figures behind it.</summary>
public sealed record BenchResult(double Ratio, params (string Key, double Value)[] Figures)
{
    public string Line => string.Join(" ", new[] { $"ratio={Format(Ratio)}" }.Concat(Figures.Select(f => $"{f.Key}={Format(f.Value)}")));

    private static string Format(double value) => value.ToString(Math.Abs(value) >= 100 ? "F1" : "G4", CultureInfo.InvariantCulture);
}

public static class Percentiles
{
    public static double Of(IReadOnlyList<double> values, double percentile)
    {
        var sorted = values.Order().ToArray();
        var rank = percentile / 100 * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }
}
