namespace AnnotateAnyone.Data.Review;

/// <summary>
/// Inter-annotator agreement for nominal labels. A unit is one image's attribute; its values are the final
/// answers of the annotators who reviewed it (values are compared as whole answers, so a multiple-choice set
/// counts as one category).
/// </summary>
public static class Agreement
{
    /// <summary>The share of pairs of answers on the same unit that agree.</summary>
    public static double PercentAgreement(IEnumerable<IReadOnlyList<string>> units)
    {
        long agreeing = 0, pairs = 0;
        foreach (var values in units)
            for (var i = 0; i < values.Count; i++)
            for (var j = i + 1; j < values.Count; j++)
            {
                pairs++;
                if (values[i] == values[j]) agreeing++;
            }
        return pairs == 0 ? double.NaN : (double)agreeing / pairs;
    }

    /// <summary>Cohen's kappa over units with exactly two answers: agreement beyond what the raters' own value frequencies predict.</summary>
    public static double CohensKappa(IEnumerable<IReadOnlyList<string>> units)
    {
        var pairs = units.Where(u => u.Count == 2).ToList();
        if (pairs.Count == 0) return double.NaN;
        var observed = pairs.Count(p => p[0] == p[1]) / (double)pairs.Count;
        var first = pairs.GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.Count() / (double)pairs.Count);
        var second = pairs.GroupBy(p => p[1]).ToDictionary(g => g.Key, g => g.Count() / (double)pairs.Count);
        var expected = first.Sum(f => f.Value * second.GetValueOrDefault(f.Key));
        return expected >= 1 ? (observed >= 1 ? 1 : double.NaN) : (observed - expected) / (1 - expected);
    }

    /// <summary>
    /// Krippendorff's alpha (nominal): 1 − observed / expected disagreement, from the coincidence matrix of all
    /// pairable values. Handles any number of annotators per unit and missing answers.
    /// </summary>
    public static double KrippendorffAlpha(IEnumerable<IReadOnlyList<string>> units)
    {
        var coincidences = new Dictionary<(string, string), double>();
        foreach (var values in units.Where(u => u.Count >= 2))
        {
            var weight = 1.0 / (values.Count - 1);
            for (var i = 0; i < values.Count; i++)
            for (var j = 0; j < values.Count; j++)
            {
                if (i == j) continue;
                var key = (values[i], values[j]);
                coincidences[key] = coincidences.GetValueOrDefault(key) + weight;
            }
        }
        var total = coincidences.Values.Sum();
        if (total == 0) return double.NaN;
        var marginals = coincidences.GroupBy(c => c.Key.Item1).ToDictionary(g => g.Key, g => g.Sum(c => c.Value));
        var observedDisagreement = coincidences.Where(c => c.Key.Item1 != c.Key.Item2).Sum(c => c.Value);
        // alpha = 1 - D_o / D_e with D_o = sum(o_ck, c != k) / n and D_e = (n^2 - sum(n_c^2)) / (n (n - 1)).
        var pairsOfDifferentValues = total * total - marginals.Values.Sum(n => n * n);
        return pairsOfDifferentValues == 0 ? (observedDisagreement == 0 ? 1 : double.NaN) : 1 - (total - 1) * observedDisagreement / pairsOfDifferentValues;
    }
}
