using TorchSharp;
using TorchSharp.Modules;

namespace AnnotateAnyone.Model.Compute;

/// <summary>A training loop's checkpoint: a magic number naming the model kind, the step, the weights and the optimizer's state.</summary>
public static class TrainingCheckpoint
{
    public static void Save(Stream stream, uint magic, int step, torch.nn.Module network, OptimizerHelper optimizer)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(magic);
        writer.Write(step);
        network.save(writer);
        optimizer.save_state_dict(writer);
    }

    /// <summary>Loads weights and optimizer state; returns the step to continue from.</summary>
    /// <exception cref="InvalidDataException">The stream is not a checkpoint of this kind (<paramref name="kind"/> names it).</exception>
    public static int Restore(Stream stream, uint magic, string kind, torch.nn.Module network, OptimizerHelper optimizer)
    {
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        if (reader.ReadUInt32() != magic) throw new InvalidDataException($"Not a {kind} checkpoint.");
        var step = reader.ReadInt32();
        network.load(reader);
        optimizer.load_state_dict(reader);
        return step;
    }
}
