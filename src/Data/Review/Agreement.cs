namespace AnnotateAnyone.Data.Review;

/// <summary>
/// Inter-annotator agreement for nominal labels, tallied unit by unit. A unit is one image's attribute; its values
/// are the final answers of the annotators who reviewed it (values are compared as whole answers, so a
/// multiple-choice set counts as one category). Only counts per value are kept, never the units, so an attribute's
/// millions of double-reviewed units take as much memory as its few values.
/// </summary>
public sealed class Agreement
{
    private long _pairs, _agreeingPairs;
    // Cohen's kappa reads units with exactly two answers: how many, how many agree, and each rater position's values.
    private long _twoAnswerUnits, _twoAnswerAgreeing;
    private readonly Dictionary<string, long> _firstAnswers = [];
    private readonly Dictionary<string, long> _secondAnswers = [];
    // Krippendorff's coincidence matrix.
    private readonly Dictionary<(string, string), double> _coincidences = [];

    /// <summary>Units with two answers or more: the ones agreement can be measured on.</summary>
    public long Units { get; private set; }

    /// <summary>Adds <paramref name="units"/> units that each got these answers.</summary>
    public void Add(IReadOnlyList<string> values, long units = 1)
    {
        if (values.Count < 2 || units < 1) return;
        Units += units;
        var weight = (double)units / (values.Count - 1);
        for (var i = 0; i < values.Count; i++)
        for (var j = 0; j < values.Count; j++)
        {
            if (i == j) continue;
            var key = (values[i], values[j]);
            _coincidences[key] = _coincidences.GetValueOrDefault(key) + weight;
            if (j < i) continue;
            _pairs += units;
            if (values[i] == values[j]) _agreeingPairs += units;
        }
        if (values.Count != 2) return;
        _twoAnswerUnits += units;
        if (values[0] == values[1]) _twoAnswerAgreeing += units;
        _firstAnswers[values[0]] = _firstAnswers.GetValueOrDefault(values[0]) + units;
        _secondAnswers[values[1]] = _secondAnswers.GetValueOrDefault(values[1]) + units;
    }

    /// <summary>The share of pairs of answers on the same unit that agree.</summary>
    public double PercentAgreement => _pairs == 0 ? double.NaN : (double)_agreeingPairs / _pairs;

    /// <summary>Cohen's kappa over units with exactly two answers: agreement beyond what the raters' own value frequencies predict.</summary>
    public double CohensKappa
    {
        get
        {
            if (_twoAnswerUnits == 0) return double.NaN;
            var n = (double)_twoAnswerUnits;
            var observed = _twoAnswerAgreeing / n;
            var expected = _firstAnswers.Sum(f => f.Value / n * (_secondAnswers.GetValueOrDefault(f.Key) / n));
            return expected >= 1 ? (observed >= 1 ? 1 : double.NaN) : (observed - expected) / (1 - expected);
        }
    }

    /// <summary>
    /// Krippendorff's alpha (nominal): 1 − observed / expected disagreement, from the coincidence matrix of all
    /// pairable values. Handles any number of annotators per unit and missing answers.
    /// </summary>
    public double KrippendorffAlpha
    {
        get
        {
            var total = _coincidences.Values.Sum();
            if (total == 0) return double.NaN;
            var marginals = _coincidences.GroupBy(c => c.Key.Item1).ToDictionary(g => g.Key, g => g.Sum(c => c.Value));
            var observedDisagreement = _coincidences.Where(c => c.Key.Item1 != c.Key.Item2).Sum(c => c.Value);
            // alpha = 1 - D_o / D_e with D_o = sum(o_ck, c != k) / n and D_e = (n^2 - sum(n_c^2)) / (n (n - 1)).
            var pairsOfDifferentValues = total * total - marginals.Values.Sum(n => n * n);
            return pairsOfDifferentValues == 0 ? (observedDisagreement == 0 ? 1 : double.NaN) : 1 - (total - 1) * observedDisagreement / pairsOfDifferentValues;
        }
    }
}
