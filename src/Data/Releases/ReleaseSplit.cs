using System.Buffers.Binary;

namespace AnnotateAnyone.Data.Releases;

public enum Split
{
    Train,
    Validation,
    Test,
}

/// <summary>
/// Puts an image in a split by its SHA-256 alone: the first 8 bytes as a fraction of 2^64, compared with the
/// split shares. An image never moves between splits from one release to the next (as long as the shares stay),
/// and adding images moves none of the others.
/// </summary>
public static class ReleaseSplit
{
    public static Split Of(ReadOnlySpan<byte> sha256, ReleaseSplits splits)
    {
        var position = BinaryPrimitives.ReadUInt64BigEndian(sha256) / (double)ulong.MaxValue;
        if (position < splits.Test) return Split.Test;
        if (position < splits.Test + splits.Validation) return Split.Validation;
        return Split.Train;
    }

    public static string Name(Split split) => split switch
    {
        Split.Train => "train",
        Split.Validation => "validation",
        _ => "test",
    };
}
