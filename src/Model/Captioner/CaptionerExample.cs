using TorchSharp;
using static TorchSharp.torch;

namespace AnnotateAnyone.Model.Captioner;

/// <summary>
/// One training or validation image: RGB pixels (size x size x 3, row-major) and its targets per head: a value
/// index for single-choice heads, a bit mask of values for multiple-choice heads, -1 where the label is unknown;
/// <see cref="Usable"/> is 1, 0, or -1 when unknown.
/// </summary>
public sealed record CaptionerExample(byte[] Pixels, int[] Targets, int Usable);

/// <summary>Examples by index; the Worker backs this with a file of pre-shrunk pixels, so nothing needs to fit in memory.</summary>
public interface ICaptionerData
{
    int Count { get; }

    CaptionerExample Get(int index);
}

public static class Batches
{
    private const float Mean = 0.5f, Spread = 0.25f;

    /// <summary>Pixels of a batch as a normalised [batch, 3, size, size] tensor on the device.</summary>
    public static Tensor Images(IReadOnlyList<byte[]> pixels, int size, Device device, bool flip = false)
    {
        var plane = size * size;
        var buffer = new float[pixels.Count * 3 * plane];
        for (var b = 0; b < pixels.Count; b++)
        {
            var source = pixels[b];
            var offset = b * 3 * plane;
            for (var y = 0; y < size; y++)
            for (var x = 0; x < size; x++)
            {
                var from = (y * size + (flip ? size - 1 - x : x)) * 3;
                var to = y * size + x;
                buffer[offset + to] = (source[from] / 255f - Mean) / Spread;
                buffer[offset + plane + to] = (source[from + 1] / 255f - Mean) / Spread;
                buffer[offset + 2 * plane + to] = (source[from + 2] / 255f - Mean) / Spread;
            }
        }
        return tensor(buffer, [pixels.Count, 3, size, size], device: device);
    }
}
