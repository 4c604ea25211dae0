using AnnotateAnyone.Model.Captioner;

namespace AnnotateAnyone.Worker.Training;

/// <summary>The captioner's training images, shrunk once into a <see cref="RecordFile"/>, with their targets.</summary>
public sealed class PixelCache(string folder, int imageSize, IReadOnlyList<(int[] Targets, int Usable)> labels) : ICaptionerData, IDisposable
{
    private readonly RecordFile _records = new(folder, imageSize * imageSize * 3);

    public int Count => labels.Count;

    public void Write(int index, byte[] pixels) => _records.Write(index, pixels);

    public CaptionerExample Get(int index) => new(_records.Read(index), labels[index].Targets, labels[index].Usable);

    public void Dispose() => _records.Dispose();
}
