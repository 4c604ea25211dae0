using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Labels;

namespace AnnotateAnyone.Data.Releases;

/// <summary>
/// One image of a release with its labels, one slot per attribute of the release's taxonomy (in taxonomy order).
/// The reader fills the same instance row after row, so streaming a million images allocates almost nothing.
/// </summary>
public sealed class ReleaseRecord(int attributeCount)
{
    public long ImageId { get; set; }
    public byte[] Sha256
    {
        get => _sha256;
        set => (_sha256, _key) = (value, null);
    }
    public int Width { get; set; }
    public int Height { get; set; }
    public ImageFormat? Format { get; set; }
    public string OriginalKey { get; set; } = "";
    public string? ParsingMapKey { get; set; }
    public int? RoundId { get; set; }
    public Split Split { get; set; }

    /// <summary>Per attribute slot: the value ids, or null when the image has no label for it.</summary>
    public int[]?[] Values { get; } = new int[]?[attributeCount];
    public LabelSource[] Sources { get; } = new LabelSource[attributeCount];
    public float?[] Confidences { get; } = new float?[attributeCount];
    public int?[] ModelVersionIds { get; } = new int?[attributeCount];

    public int LabelCount { get; set; }

    /// <summary>The key files of this image go by in shards and layouts: its SHA-256 in hex.</summary>
    public string Key => _key ??= Convert.ToHexStringLower(_sha256);

    private byte[] _sha256 = [];
    private string? _key;

    public string Extension => Format switch
    {
        ImageFormat.Png => "png",
        ImageFormat.Webp => "webp",
        _ => "jpg",
    };

    /// <summary>Copies this row into <paramref name="other"/> (label arrays are shared: the reader never reuses them).</summary>
    public void CopyTo(ReleaseRecord other)
    {
        other.ImageId = ImageId;
        other.Sha256 = Sha256;
        other.Width = Width;
        other.Height = Height;
        other.Format = Format;
        other.OriginalKey = OriginalKey;
        other.ParsingMapKey = ParsingMapKey;
        other.RoundId = RoundId;
        other.Split = Split;
        Values.CopyTo(other.Values, 0);
        Sources.CopyTo(other.Sources, 0);
        Confidences.CopyTo(other.Confidences, 0);
        ModelVersionIds.CopyTo(other.ModelVersionIds, 0);
        other.LabelCount = LabelCount;
    }

    internal void RemoveLabel(int slot)
    {
        if (Values[slot] is null) return;
        Values[slot] = null;
        Confidences[slot] = null;
        ModelVersionIds[slot] = null;
        LabelCount--;
    }

    internal void ClearLabels()
    {
        Array.Clear(Values);
        Array.Clear(Confidences);
        Array.Clear(ModelVersionIds);
        LabelCount = 0;
    }
}
