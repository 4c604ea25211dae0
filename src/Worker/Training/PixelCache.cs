using AnnotateAnyone.Model.Captioner;

namespace AnnotateAnyone.Worker.Training;

/// <summary>
/// The captioner's training images, shrunk once into a <see cref="RecordFile"/> (pixels, then the parsing map's class
/// shares at the network's parsing side, its region reads, its class measures and its face crop), with their targets.
/// </summary>
public sealed class PixelCache : ICaptionerData, IDisposable
{
    private readonly IReadOnlyList<(int[] Targets, int Usable)> _labels;
    private readonly int _pixelBytes;
    private readonly int _shareBytes;
    private readonly int _readBytes;
    private readonly RecordFile _records;
    private readonly bool[] _hasParsing;
    private readonly bool[] _hasFace;

    public PixelCache(string folder, CaptionerSpec spec, IReadOnlyList<(int[] Targets, int Usable)> labels)
    {
        var side = CaptionerNetwork.ParsingSide(spec.ImageSize);
        _labels = labels;
        _pixelBytes = spec.ImageSize * spec.ImageSize * 3;
        _shareBytes = side * side * CaptionerSpec.ParsingClassCount;
        _readBytes = spec.Regions().Count * RegionReads.Length;
        _records = new RecordFile(folder, _pixelBytes + _shareBytes + _readBytes + ParsingGeometry.Length + GivenParsing.FaceBytes);
        _hasParsing = new bool[labels.Count];
        _hasFace = new bool[labels.Count];
    }

    public int Count => _labels.Count;

    public void Write(int index, byte[] pixels, GivenParsing? parsing)
    {
        var record = new byte[_records.RecordSize];
        pixels.CopyTo(record, 0);
        parsing?.Shares.CopyTo(record, _pixelBytes);
        parsing?.Regions.CopyTo(record, _pixelBytes + _shareBytes);
        parsing?.Geometry.CopyTo(record, _pixelBytes + _shareBytes + _readBytes);
        parsing?.Face.CopyTo(record, _pixelBytes + _shareBytes + _readBytes + ParsingGeometry.Length);
        _records.Write(index, record);
        _hasParsing[index] = parsing is not null;
        _hasFace[index] = parsing is { HasFace: true };
    }

    public CaptionerExample Get(int index)
    {
        var record = _records.Read(index);
        var (reads, geometry) = (_pixelBytes + _shareBytes, _pixelBytes + _shareBytes + _readBytes);
        var face = geometry + ParsingGeometry.Length;
        var parsing = _hasParsing[index]
            ? new GivenParsing(record[_pixelBytes..reads], record[reads..geometry], _hasFace[index] ? record[face..] : [], record[geometry..face])
            : null;
        return new CaptionerExample(record[.._pixelBytes], _labels[index].Targets, _labels[index].Usable, parsing);
    }

    public void Dispose() => _records.Dispose();
}
