using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Storage;
using AnnotateAnyone.Data.Taxonomy;
using AnnotateAnyone.Model.Captioner;
using Npgsql;

namespace AnnotateAnyone.Worker.Training;

/// <summary>One image's labels by attribute key ("group.attribute") and value keys, whether it is a usable photo, and its parsing map if it has one.</summary>
public sealed record LabelledImage(long ImageId, byte[] Sha256, string ThumbnailKey, IReadOnlyDictionary<string, string[]> Labels, int Usable, string? ParsingMapKey = null);

/// <summary>
/// What the captioner learns from: every image humans verified (human, gold, adjudicated or imported labels;
/// the AI's own accepted labels never train it) and every image they flagged as unusable. Split by SHA-256, so an
/// image stays on its side of the split from one training to the next.
/// </summary>
public sealed class TrainingSet(NpgsqlDataSource dataSource, IObjectStore store, TaxonomyStore taxonomy)
{
    public async Task<IReadOnlyList<LabelledImage>> LoadAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT i.id, i.sha256, i.thumbnail_key, i.flags, l.attribute_id, a.taxonomy_version_id, l.value_ids, i.parsing_map_key
            FROM images i
            LEFT JOIN labels l ON l.image_id = i.id AND l.source IN (2, 3, 4, 5)
            LEFT JOIN attributes a ON a.id = l.attribute_id
            WHERE i.thumbnail_key IS NOT NULL
              AND ((i.flags & 3) <> 0 OR EXISTS (SELECT 1 FROM labels h WHERE h.image_id = i.id AND h.source IN (2, 3, 4, 5)))
            ORDER BY i.id
            """);
        var images = new List<LabelledImage>();
        var indexes = new Dictionary<int, TaxonomyIndex>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        (long Id, byte[] Sha, string Key, short Flags, Dictionary<string, string[]> Labels, string? Parsing)? current = null;
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetInt64(0);
            if (current?.Id != id)
            {
                if (current is { } done) images.Add(ToImage(done));
                current = (id, (byte[])reader[1], reader.GetString(2), reader.GetInt16(3), new Dictionary<string, string[]>(), reader.IsDBNull(7) ? null : reader.GetString(7));
            }
            if (reader.IsDBNull(4)) continue;
            var versionId = reader.GetInt32(5);
            if (!indexes.TryGetValue(versionId, out var index))
                indexes[versionId] = index = new TaxonomyIndex(await taxonomy.GetAsync(versionId, cancellationToken));
            var attribute = index.Find(reader.GetInt32(4))!;
            var values = reader.GetFieldValue<int[]>(6);
            current.Value.Labels[index.KeyOf(attribute.Id)] = attribute.Values.Where(v => values.Contains(v.Id)).Select(v => v.Key).ToArray();
        }
        if (current is { } last) images.Add(ToImage(last));
        return images;

        static LabelledImage ToImage((long Id, byte[] Sha, string Key, short Flags, Dictionary<string, string[]> Labels, string? Parsing) row) =>
            new(row.Id, row.Sha, row.Key, (row.Flags & (short)(ImageFlags.NotAPerson | ImageFlags.BadQuality)) != 0 ? [] : row.Labels,
                (row.Flags & (short)(ImageFlags.NotAPerson | ImageFlags.BadQuality)) != 0 ? 0 : 1, row.Parsing);
    }

    /// <summary>True for the held-out side: the first hash bytes decide, so the split never moves.</summary>
    public static bool IsHeldOut(byte[] sha256, double share) => BitConverter.ToUInt16(sha256, 0) / 65536.0 < share;

    /// <summary>The targets of an image for a spec's heads: value index, value bit mask, or -1 when unknown.</summary>
    public static int[] Targets(CaptionerSpec spec, IReadOnlyDictionary<string, string[]> labels) =>
        spec.Heads.Select(head =>
        {
            if (!labels.TryGetValue(head.Attribute, out var values) || values.Length == 0) return -1;
            var indexes = values.Select(v => head.Values.ToList().IndexOf(v)).ToArray();
            if (indexes.Any(i => i < 0)) return -1;
            return head.MultipleChoice ? indexes.Aggregate(0, (mask, i) => mask | 1 << i) : indexes[0];
        }).ToArray();

    /// <summary>Shrinks the images' thumbnails (and parsing maps, where they have one) into a pixel cache, a few at a time.</summary>
    public async Task<PixelCache> CacheAsync(IReadOnlyList<LabelledImage> images, CaptionerSpec spec, string folder, CancellationToken cancellationToken)
    {
        var cache = new PixelCache(folder, spec, images.Select(i => (Targets(spec, i.Labels), i.Usable)).ToList());
        await Parallel.ForEachAsync(Enumerable.Range(0, images.Count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (index, ct) =>
            {
                var image = images[index];
                using var thumbnail = ThumbnailPixels.Decode(await store.ReadAllBytesAsync(image.ThumbnailKey, ct));
                var pixels = ThumbnailPixels.Square(thumbnail, spec.ImageSize);
                cache.Write(index, pixels, await ParsingMaps.ReadForCaptionerAsync(store, image.ParsingMapKey, thumbnail, pixels, spec, ct));
            });
        return cache;
    }
}
