using static TorchSharp.torch;

namespace AnnotateAnyone.Model.Diffusion;

/// <summary>One training image: RGB pixels (size x size x 3), its parsing map (class ids, size x size; null when it has none) and its caption groups.</summary>
public sealed record DaringExample(byte[] Pixels, byte[]? ParsingMap, IReadOnlyList<CaptionGroup> Groups);

public interface IDaringData
{
    int Count { get; }

    DaringExample Get(int index);
}

/// <summary>Conversions between pixels and the model's image range, [-1, 1].</summary>
public static class DiffusionPixels
{
    public static Tensor ToTensor(IReadOnlyList<byte[]> pixels, int size, Device device)
    {
        var plane = size * size;
        var buffer = new float[pixels.Count * 3 * plane];
        for (var b = 0; b < pixels.Count; b++)
            for (var p = 0; p < plane; p++)
                for (var c = 0; c < 3; c++)
                    buffer[(b * 3 + c) * plane + p] = pixels[b][p * 3 + c] / 127.5f - 1f;
        return tensor(buffer, [pixels.Count, 3, size, size], device: device);
    }

    /// <summary>[batch, 3, size, size] in [-1, 1] → one RGB byte array per image.</summary>
    public static byte[][] FromTensor(Tensor images)
    {
        var (batch, size) = ((int)images.shape[0], (int)images.shape[2]);
        var plane = size * size;
        var values = images.detach().cpu().data<float>().ToArray();
        var result = new byte[batch][];
        for (var b = 0; b < batch; b++)
        {
            result[b] = new byte[plane * 3];
            for (var p = 0; p < plane; p++)
                for (var c = 0; c < 3; c++)
                    result[b][p * 3 + c] = (byte)Math.Clamp(MathF.Round((values[(b * 3 + c) * plane + p] + 1f) * 127.5f), 0, 255);
        }
        return result;
    }
}
