namespace AnnotateAnyone.Model.Compute;

/// <summary>
/// A training loss that is no longer a finite number. Raised before the optimizer steps on it, so the weights (and
/// every checkpoint already stored) are those of the last sound step; continuing would only spread NaN through them.
/// </summary>
public sealed class TrainingDivergedException(string model, int step, int totalSteps, string loss, double value)
    : Exception($"{model} training diverged at step {step} of {totalSteps}: its {loss} loss is {Describe(value)}. " +
                "The weights of the last sound step are kept; lower the learning rate, or check the training images, and train again.")
{
    public int Step { get; } = step;

    /// <summary>Throws when <paramref name="value"/> is NaN or infinite; <paramref name="step"/> is the one-based step that computed it.</summary>
    public static void ThrowIfNotFinite(string model, int step, int totalSteps, string loss, double value)
    {
        if (!double.IsFinite(value)) throw new TrainingDivergedException(model, step, totalSteps, loss, value);
    }

    private static string Describe(double value) => double.IsNaN(value) ? "not a number (NaN)" : value > 0 ? "infinite" : "negatively infinite";
}
