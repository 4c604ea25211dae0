using AnnotateAnyone.Model.Captioner;

namespace AnnotateAnyone.Worker.Training;

/// <summary>
/// The captioner's training images, shrunk once into a <see cref="RecordFile"/> (pixels, then the parsing map's class
/// shares at the network's parsing side), with their targets.
/// </summary>
public sealed class PixelCache(string folder, int imageSize, int parsingSide, IReadOnlyList<(int[] Targets, int Usable)> labels)
    : ICaptionerData, IDisposable
{
    private readonly int _pixelBytes = imageSize * imageSize * 3;
    private readonly RecordFile _records = new(folder, imageSize * imageSize * 3 + parsingSide * parsingSide * CaptionerSpec.ParsingClassCount);
    private readonly bool[] _hasParsing = new bool[labels.Count];

    public int Count => labels.Count;

    public void Write(int index, byte[] pixels, byte[]? parsing)
    {
        var record = new byte[_records.RecordSize];
        pixels.CopyTo(record, 0);
        parsing?.CopyTo(record, _pixelBytes);
        _records.Write(index, record);
        _hasParsing[index] = parsing is not null;
    }

    public CaptionerExample Get(int index)
    {
        var record = _records.Read(index);
        return new CaptionerExample(record[.._pixelBytes], labels[index].Targets, labels[index].Usable, _hasParsing[index] ? record[_pixelBytes..] : null);
    }

    public void Dispose() => _records.Dispose();
}
