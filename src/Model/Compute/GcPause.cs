using System.Runtime;

namespace AnnotateAnyone.Model.Compute;

/// <summary>
/// Holds off garbage collection while a burst of TorchSharp calls runs. TorchSharp converts numbers to native
/// Scalars implicitly (<c>add_(grad, alpha: 1 - beta1)</c> in its optimizers, <c>mul_(scale)</c> in ours) and does
/// not keep the wrapper alive through the native call, so a collection at the wrong moment finalizes the Scalar
/// while libtorch reads it: training then fails now and then with "Expected false to be true ... toFloat". With
/// no collection during the step, the wrappers outlive the calls that use them.
/// </summary>
public readonly struct GcPause : IDisposable
{
    /// <summary>Managed allocations a step may make before the runtime collects anyway (the pause is then over, harmlessly).</summary>
    private const long Budget = 64L << 20;

    private readonly bool _started;

    private GcPause(bool started) => _started = started;

    public static GcPause Start()
    {
        if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) return new GcPause(false);
        try
        {
            return new GcPause(GC.TryStartNoGCRegion(Budget));
        }
        catch (InvalidOperationException)
        {
            return new GcPause(false);
        }
    }

    public void Dispose()
    {
        // The runtime ends the region by itself when the budget runs out; only a region still open is ours to end.
        if (!_started || GCSettings.LatencyMode != GCLatencyMode.NoGCRegion) return;
        try
        {
            GC.EndNoGCRegion();
        }
        catch (InvalidOperationException)
        {
            // The region ended on its own (its budget was spent): nothing to undo.
        }
    }
}
