using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace AnnotateAnyone.Model.Compute;

/// <summary>
/// A burn-in of the compute device: seeded matrix products for a given time. The checksum is the same on every
/// healthy node of one device kind, so a node with a broken libtorch or bad memory stands out.
/// </summary>
public static class TensorSelfTest
{
    public sealed record Result(string Device, int Iterations, double Checksum, double GigaflopsPerSecond, double Seconds);

    public static Result Run(ComputeDevice device, TimeSpan duration, CancellationToken cancellationToken, int size = 256)
    {
        var watch = Stopwatch.StartNew();
        var iterations = 0;
        double checksum;
        using (NewDisposeScope())
        {
            var generator = new Generator(42, device.Torch);
            var a = rand([size, size], generator: generator, device: device.Torch);
            var b = rand([size, size], generator: generator, device: device.Torch);
            checksum = matmul(a, b).sum().item<float>();
            do
            {
                cancellationToken.ThrowIfCancellationRequested();
                using (NewDisposeScope())
                    matmul(a, b).sum().item<float>();
                iterations++;
            } while (watch.Elapsed < duration);
        }
        var seconds = watch.Elapsed.TotalSeconds;
        var flops = 2.0 * size * size * size * iterations;
        return new Result(device.Name, iterations, checksum, flops / seconds / 1e9, seconds);
    }
}
