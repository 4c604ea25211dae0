using System.Buffers.Binary;
using System.Text.Json;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace AnnotateAnyone.Model.Captioner;

/// <summary>
/// ResNet-18 weights as torchvision and timm publish them (ImageNet classifiers saved as safetensors): the backbone's
/// tensors by their own names, a batch-norm count a file may leave out, and a classifier ("fc.*") the captioner has no use for.
/// </summary>
internal static class PublishedResNet18
{
    /// <summary>Whether the file is laid out as a published ResNet-18 (its stem and first block at the top level) rather than as a captioner.</summary>
    public static bool Holds(string path) => Keys(path) is var keys && keys.Contains("conv1.weight") && keys.Contains("layer1.0.conv1.weight");

    /// <summary>Copies every backbone tensor from the file, converting its number type (half-precision files exist) to the backbone's.</summary>
    /// <exception cref="InvalidDataException">A tensor is missing or of another shape.</exception>
    public static void Load(ResNet18Backbone backbone, string path)
    {
        var file = Safetensors.LoadStateDict(path);
        try
        {
            using var _ = no_grad();
            foreach (var (key, target) in backbone.state_dict())
            {
                if (!file.TryGetValue(key, out var source))
                {
                    // A count of batches seen, only for norms without a momentum: not a weight, and some files leave it out.
                    if (key.EndsWith("num_batches_tracked", StringComparison.Ordinal)) continue;
                    throw new InvalidDataException($"{path} is laid out as a ResNet-18 but has no tensor '{key}'.");
                }
                if (!source.shape.SequenceEqual(target.shape))
                    throw new InvalidDataException($"{path} holds '{key}' as [{string.Join(", ", source.shape)}], where ResNet-18 has [{string.Join(", ", target.shape)}]: it is not a ResNet-18.");
                target.copy_(source.to(target.dtype));
            }
        }
        finally
        {
            foreach (var tensor in file.Values) tensor.Dispose();
        }
    }

    /// <summary>The tensor names in a safetensors file's header, read without its data.</summary>
    /// <exception cref="InvalidDataException">The file is not safetensors.</exception>
    private static IReadOnlySet<string> Keys(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> size = stackalloc byte[8];
        if (stream.Read(size) != 8 || BinaryPrimitives.ReadUInt64LittleEndian(size) is var length && (length == 0 || length > 100_000_000 || (long)length > stream.Length - 8))
            throw new InvalidDataException($"{path} is not a safetensors file: its header's size is missing or out of range.");
        var header = new byte[length];
        stream.ReadExactly(header);
        try
        {
            using var json = JsonDocument.Parse(header);
            return json.RootElement.EnumerateObject().Select(p => p.Name).Where(n => n != "__metadata__").ToHashSet();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a safetensors file: its header is not JSON ({e.Message}).", e);
        }
    }
}
