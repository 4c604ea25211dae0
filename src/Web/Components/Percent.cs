using System.Globalization;

namespace AnnotateAnyone.Web.Components;

/// <summary>Percentages as people here write them ("73%"), whatever the server's culture formats "P" as.</summary>
public static class Percent
{
    public static string Of(double share, int decimals = 0) =>
        double.IsNaN(share) ? "—" : (share * 100).ToString("F" + decimals, CultureInfo.InvariantCulture) + "%";

    /// <summary>A share that may not be known yet (nothing to divide by): "—" then.</summary>
    public static string Of(double? share, int decimals = 0) => Of(share ?? double.NaN, decimals);
}
