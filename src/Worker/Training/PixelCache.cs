using System.Buffers.Binary;
using AnnotateAnyone.Model.Captioner;

namespace AnnotateAnyone.Worker.Training;

/// <summary>
/// The captioner's training images, shrunk once into a <see cref="RecordFile"/>: each record holds the image's targets
/// and flags, its pixels, then the parsing map's class shares at the network's parsing side, its region reads, its class
/// measures and its face crop. Nothing per image stays in memory, however many images there are.
/// </summary>
public sealed class PixelCache : ICaptionerData, IDisposable
{
    /// <summary>Usable, has a parsing map, has a face crop: one byte each after the targets.</summary>
    private const int FlagBytes = 3;

    private readonly CaptionerSpec _spec;
    private readonly int _heads;
    private readonly int _flagsAt;
    private readonly int _pixelsAt;
    private readonly int _sharesAt;
    private readonly int _readsAt;
    private readonly int _geometryAt;
    private readonly int _faceAt;
    private readonly RecordFile _records;
    private int _count;

    public PixelCache(string folder, CaptionerSpec spec)
    {
        var side = CaptionerNetwork.ParsingSide(spec.ImageSize);
        _spec = spec;
        _heads = spec.Heads.Count;
        _flagsAt = _heads * sizeof(int);
        _pixelsAt = _flagsAt + FlagBytes;
        _sharesAt = _pixelsAt + spec.ImageSize * spec.ImageSize * 3;
        _readsAt = _sharesAt + side * side * CaptionerSpec.ParsingClassCount;
        _geometryAt = _readsAt + spec.Regions().Count * RegionReads.Length;
        _faceAt = _geometryAt + ParsingGeometry.Length;
        _records = new RecordFile(folder, _faceAt + GivenParsing.FaceBytes);
    }

    /// <summary>
    /// Whether these records are what a cache for <paramref name="spec"/> would hold: the same input side and the same heads
    /// (targets, region reads and the parsing side follow from them; the encoder's widths do not enter a record).
    /// </summary>
    public bool Serves(CaptionerSpec spec) =>
        spec.ImageSize == _spec.ImageSize && spec.Heads.Count == _spec.Heads.Count && spec.Heads.Zip(_spec.Heads).All(pair => pair.First.Matches(pair.Second));

    /// <summary>The images written so far; they are numbered from 0 without gaps.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Writes image number <paramref name="index"/>; safe to call from several threads for different numbers.</summary>
    public void Write(int index, int[] targets, int usable, byte[] pixels, GivenParsing? parsing)
    {
        if (targets.Length != _heads) throw new ArgumentException($"The cache's captioner has {_heads} heads; {targets.Length} targets were given.", nameof(targets));
        var record = new byte[_records.RecordSize];
        for (var h = 0; h < _heads; h++) BinaryPrimitives.WriteInt32LittleEndian(record.AsSpan(h * sizeof(int)), targets[h]);
        // Usable is 1, 0 or -1 (unknown): stored as a signed byte.
        (record[_flagsAt], record[_flagsAt + 1], record[_flagsAt + 2]) = ((byte)(sbyte)usable, (byte)(parsing is null ? 0 : 1), (byte)(parsing is { HasFace: true } ? 1 : 0));
        pixels.CopyTo(record, _pixelsAt);
        parsing?.Shares.CopyTo(record, _sharesAt);
        parsing?.Regions.CopyTo(record, _readsAt);
        parsing?.Geometry.CopyTo(record, _geometryAt);
        parsing?.Face.CopyTo(record, _faceAt);
        _records.Write(index, record);
        Interlocked.Increment(ref _count);
    }

    public CaptionerExample Get(int index)
    {
        var record = _records.Read(index);
        var targets = new int[_heads];
        for (var h = 0; h < _heads; h++) targets[h] = BinaryPrimitives.ReadInt32LittleEndian(record.AsSpan(h * sizeof(int)));
        var parsing = record[_flagsAt + 1] == 1
            ? new GivenParsing(record[_sharesAt.._readsAt], record[_readsAt.._geometryAt], record[_flagsAt + 2] == 1 ? record[_faceAt..] : [], record[_geometryAt.._faceAt])
            : null;
        return new CaptionerExample(record[_pixelsAt.._sharesAt], targets, (sbyte)record[_flagsAt], parsing);
    }

    public void Dispose() => _records.Dispose();
}
