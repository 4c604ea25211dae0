using Microsoft.Win32.SafeHandles;

namespace AnnotateAnyone.Worker.Training;

/// <summary>
/// A temporary file of fixed-size records: training images are shrunk once and read back at random each epoch
/// without decoding again and without holding the data set in memory. Deleted when disposed.
/// </summary>
public sealed class RecordFile : IDisposable
{
    private readonly string _path;
    private readonly SafeFileHandle _file;

    public RecordFile(string folder, int recordSize)
    {
        Directory.CreateDirectory(folder);
        _path = Path.Combine(folder, $"records-{Guid.NewGuid():N}.bin");
        _file = File.OpenHandle(_path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
        RecordSize = recordSize;
    }

    public int RecordSize { get; }

    public void Write(int index, ReadOnlySpan<byte> record) => RandomAccess.Write(_file, record, (long)index * RecordSize);

    public byte[] Read(int index)
    {
        var record = new byte[RecordSize];
        RandomAccess.Read(_file, record, (long)index * RecordSize);
        return record;
    }

    public void Dispose()
    {
        _file.Dispose();
        if (File.Exists(_path)) File.Delete(_path);
    }
}
