using System.Globalization;
using AnnotateAnyone.Data.Routing;

namespace AnnotateAnyone.Web.Components;

/// <summary>Percentages as people here write them ("73%"), whatever the server's culture formats "P" as.</summary>
public static class Percent
{
    public static string Of(double share, int decimals = 0) =>
        double.IsNaN(share) ? "—" : (share * 100).ToString("F" + decimals, CultureInfo.InvariantCulture) + "%";

    /// <summary>A share that may not be known yet (nothing to divide by): "—" then.</summary>
    public static string Of(double? share, int decimals = 0) => Of(share ?? double.NaN, decimals);

    /// <summary>
    /// "31–96%": where a share measured on <paramref name="trials"/> items lies, 95 times in 100 (Wilson), so that a
    /// share over a handful of items is not read as settled; empty when nothing was measured.
    /// </summary>
    public static string Interval(double? share, long trials)
    {
        if (share is not { } measured || double.IsNaN(measured) || trials <= 0) return "";
        var n = (int)Math.Min(trials, int.MaxValue);
        var successes = (int)Math.Round(measured * n);
        string Whole(double bound) => Math.Round(bound * 100).ToString(CultureInfo.InvariantCulture);
        return $"{Whole(Wilson.LowerBound(successes, n, Z95))}–{Whole(Wilson.UpperBound(successes, n, Z95))}%";
    }

    private const double Z95 = 1.96;
}
