using AnnotateAnyone.Model.Captioner;
using Microsoft.Win32.SafeHandles;

namespace AnnotateAnyone.Worker.Training;

/// <summary>
/// Training images shrunk once and kept in a file of fixed-size records, so an epoch reads them back at random
/// without decoding again and without holding the data set in memory. Deleted when disposed.
/// </summary>
public sealed class PixelCache : ICaptionerData, IDisposable
{
    private readonly string _path;
    private readonly SafeFileHandle _file;
    private readonly int _recordSize;
    private readonly IReadOnlyList<(int[] Targets, int Usable)> _labels;

    public PixelCache(string folder, int imageSize, IReadOnlyList<(int[] Targets, int Usable)> labels)
    {
        Directory.CreateDirectory(folder);
        _path = Path.Combine(folder, $"pixels-{Guid.NewGuid():N}.bin");
        _file = File.OpenHandle(_path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
        _recordSize = imageSize * imageSize * 3;
        _labels = labels;
    }

    public int Count => _labels.Count;

    public void Write(int index, byte[] pixels) => RandomAccess.Write(_file, pixels, (long)index * _recordSize);

    public CaptionerExample Get(int index)
    {
        var pixels = new byte[_recordSize];
        RandomAccess.Read(_file, pixels, (long)index * _recordSize);
        return new CaptionerExample(pixels, _labels[index].Targets, _labels[index].Usable);
    }

    public void Dispose()
    {
        _file.Dispose();
        if (File.Exists(_path)) File.Delete(_path);
    }
}
