namespace AnnotateAnyone.Model.Compute;

/// <summary>
/// Which examples a training step sees and the seed of its randomness, both functions of the run's seed and the
/// step alone: a run resumed from a checkpoint at step n continues exactly as an uninterrupted one would.
/// </summary>
public sealed class TrainingPlan(int count, int batchSize, int seed)
{
    private int[] _order = [];
    private int _epoch = -1;

    public int StepsPerEpoch { get; } = Math.Max(1, (count + batchSize - 1) / batchSize);

    /// <summary>The example indices of a step: the step's slice of its epoch's seeded permutation.</summary>
    public IReadOnlyList<int> Batch(int step)
    {
        var epoch = step / StepsPerEpoch;
        if (epoch != _epoch)
        {
            _order = Enumerable.Range(0, count).ToArray();
            new Random(SeedOf(seed, -1 - epoch)).Shuffle(_order);
            _epoch = epoch;
        }
        return _order.Skip(step % StepsPerEpoch * batchSize).Take(batchSize).ToArray();
    }

    public int StepSeed(int step) => SeedOf(seed, step);

    private static int SeedOf(int seed, int step) => unchecked(seed * 1_000_003 + step * 7919);
}
