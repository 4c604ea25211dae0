using AnnotateAnyone.Data.ModelRegistry;

namespace AnnotateAnyone.Worker.Training;

/// <summary>
/// How much of the verified images a training run holds out. Routing trusts the captioner only as far as the held-out
/// evidence bounds its accuracy, so while verified images are few a large share pays for itself in labels people need
/// not see; once they are many, a fixed number measures as well and the rest is better spent on training. Hence a
/// number of images, kept within a share's bounds, that falls as verified images grow.
/// <para>The split is by SHA-256 (<see cref="TrainingSet.IsHeldOut"/>), so a smaller share only moves images from the
/// held-out side to training. The share never rises above the active version's: retraining continues from its weights,
/// and images it trained on would flatter it and its successors if they were held out again.</para>
/// </summary>
public static class HeldOutShare
{
    public static double For(long verifiedImages, double? activeShare, CaptionerOptions options)
    {
        var share = Math.Clamp(options.HeldOutImages / (double)Math.Max(1, verifiedImages), options.MinValidationShare, options.MaxValidationShare);
        return activeShare is { } active ? Math.Min(share, active) : share;
    }
}
