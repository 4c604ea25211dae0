using System.Buffers.Binary;
using System.Text.Json;
using AnnotateAnyone.Data.Storage;
using AnnotateAnyone.Model.Diffusion;
using AnnotateAnyone.Worker.Training;
using SkiaSharp;

namespace AnnotateAnyone.Worker.Daring;

/// <summary>
/// Daring's training images on local disk, one fixed-size record each: pixels, parsing map (class ids at the
/// training size), and the caption groups as JSON. Filled by streaming the source through a small window of
/// parallel downloads, so neither the data set nor its captions are held in memory.
/// </summary>
public sealed class DaringCache : IDaringData, IDisposable
{
    private const int CaptionBytes = 8192;
    private const int Window = 32;

    private readonly RecordFile _records;
    private readonly int _size;

    private DaringCache(string folder, int size)
    {
        _size = size;
        _records = new RecordFile(folder, size * size * 4 + 1 + 2 + CaptionBytes);
    }

    public int Count { get; private set; }

    /// <summary>Images with a parsing map: only they feed the HOLA loss.</summary>
    public int WithMaps { get; private set; }

    /// <summary>Downloads and shrinks every image of <paramref name="images"/>; images whose thumbnail is missing are skipped and counted.</summary>
    public static async Task<(DaringCache Cache, int Skipped)> FillAsync(IAsyncEnumerable<DaringImage> images, IObjectStore store, int size, string folder,
        CancellationToken cancellationToken)
    {
        var cache = new DaringCache(folder, size);
        var skipped = 0;
        try
        {
            var window = new List<DaringImage>(Window);
            await foreach (var image in images.WithCancellation(cancellationToken))
            {
                window.Add(image);
                if (window.Count < Window) continue;
                skipped += await cache.AddAsync(window, store, cancellationToken);
                window.Clear();
            }
            skipped += await cache.AddAsync(window, store, cancellationToken);
            return (cache, skipped);
        }
        catch
        {
            cache.Dispose();
            throw;
        }
    }

    private async Task<int> AddAsync(IReadOnlyList<DaringImage> images, IObjectStore store, CancellationToken cancellationToken)
    {
        var examples = new DaringExample?[images.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, images.Count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (i, ct) => examples[i] = await LoadAsync(images[i], store, _size, ct));
        foreach (var example in examples.OfType<DaringExample>())
        {
            var record = new byte[_records.RecordSize];
            example.Pixels.CopyTo(record, 0);
            var plane = _size * _size;
            if (example.ParsingMap is { } map)
            {
                map.CopyTo(record, plane * 3);
                record[plane * 4] = 1;
                WithMaps++;
            }
            var caption = JsonSerializer.SerializeToUtf8Bytes(example.Groups);
            if (caption.Length > CaptionBytes) throw new InvalidDataException($"A caption of {caption.Length} bytes does not fit the cache's {CaptionBytes}.");
            BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(plane * 4 + 1), (ushort)caption.Length);
            caption.CopyTo(record, plane * 4 + 3);
            _records.Write(Count++, record);
        }
        return examples.Count(e => e is null);
    }

    /// <summary>An image as the model sees it; null when its thumbnail is gone from the store.</summary>
    public static async Task<DaringExample?> LoadAsync(DaringImage image, IObjectStore store, int size, CancellationToken cancellationToken)
    {
        if (await store.StatAsync(image.ThumbnailKey, cancellationToken) is null) return null;
        var pixels = ThumbnailPixels.FromJpeg(await store.ReadAllBytesAsync(image.ThumbnailKey, cancellationToken), size);
        var map = image.ParsingMapKey is { } key && await store.StatAsync(key, cancellationToken) is not null
            ? ParsingMaps.Nearest(await store.ReadAllBytesAsync(key, cancellationToken), size)
            : null;
        return new DaringExample(pixels, map, image.Groups);
    }

    public DaringExample Get(int index)
    {
        var record = _records.Read(index);
        var plane = _size * _size;
        var length = BinaryPrimitives.ReadUInt16LittleEndian(record.AsSpan(plane * 4 + 1));
        var groups = JsonSerializer.Deserialize<List<CaptionGroup>>(record.AsSpan(plane * 4 + 3, length))!;
        return new DaringExample(record[..(plane * 3)], record[plane * 4] == 1 ? record[(plane * 3)..(plane * 4)] : null, groups);
    }

    public void Dispose() => _records.Dispose();
}
