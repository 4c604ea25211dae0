using System.Runtime.CompilerServices;
using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.ModelRegistry;
using AnnotateAnyone.Data.Storage;
using AnnotateAnyone.Data.Taxonomy;
using AnnotateAnyone.Model.Captioner;
using Npgsql;

namespace AnnotateAnyone.Worker.Training;

/// <summary>
/// One verified image as a captioner learns from it: its targets for the captioner's heads (<see cref="TrainingSet.Targets"/>),
/// whether it is a usable photo, and where its thumbnail and parsing map are stored.
/// </summary>
public sealed record TrainingImage(long ImageId, byte[] Sha256, string ThumbnailKey, int[] Targets, int Usable, string? ParsingMapKey);

/// <summary>
/// What the captioner learns from: the <see cref="VerifiedImages"/>, with their targets. Split by SHA-256, so an
/// image stays on its side of the split from one training to the next. Streamed, never loaded whole: at CosmicMan's
/// scale the verified images are millions and their labels a hundred million.
/// </summary>
public sealed class TrainingSet(NpgsqlDataSource dataSource, IObjectStore store, TaxonomyStore taxonomy)
{
    /// <summary>Images per query: each page is read in full and its statement closed before its images are handed on.</summary>
    public const int DefaultPageSize = 1_000;

    /// <summary>
    /// The verified images in id order with their targets for the spec's heads, a page of images per query (keyset
    /// pagination on the id), so no statement stays open while a slow consumer shrinks thumbnails.
    /// </summary>
    public async IAsyncEnumerable<TrainingImage> ReadAsync(CaptionerSpec spec, [EnumeratorCancellation] CancellationToken cancellationToken,
        int pageSize = DefaultPageSize)
    {
        var heads = spec.Heads.Select((head, h) => (head.Attribute, h)).ToDictionary(p => p.Attribute, p => p.h);
        var indexes = new Dictionary<int, TaxonomyIndex>();
        var after = 0L;
        while (true)
        {
            var page = new List<TrainingImage>(pageSize);
            await using (var command = dataSource.CreateCommand($"""
                WITH page AS (
                    SELECT i.id, i.sha256, i.thumbnail_key, i.flags, i.parsing_map_key
                    FROM images i
                    WHERE i.id > $1 AND {VerifiedImages.Condition}
                    ORDER BY i.id
                    LIMIT $2)
                SELECT p.id, p.sha256, p.thumbnail_key, p.flags, l.attribute_id, a.taxonomy_version_id, l.value_ids, p.parsing_map_key
                FROM page p
                LEFT JOIN labels l ON l.image_id = p.id AND l.source IN (2, 3, 4, 5)
                LEFT JOIN attributes a ON a.id = l.attribute_id
                -- An image labelled under several taxonomy versions learns the newest version's label of a key, as releases read it.
                ORDER BY p.id, a.taxonomy_version_id
                """))
            {
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after });
                command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = pageSize });
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    var id = reader.GetInt64(0);
                    if (page.Count == 0 || page[^1].ImageId != id)
                    {
                        var unusable = (reader.GetInt16(3) & (short)(ImageFlags.NotAPerson | ImageFlags.BadQuality)) != 0;
                        page.Add(new TrainingImage(id, (byte[])reader[1], reader.GetString(2), Enumerable.Repeat(-1, spec.Heads.Count).ToArray(),
                            unusable ? 0 : 1, reader.IsDBNull(7) ? null : reader.GetString(7)));
                    }
                    // An unusable photo teaches only its flag: whatever labels it had before it was flagged are not its truth.
                    if (reader.IsDBNull(4) || page[^1].Usable == 0) continue;
                    var versionId = reader.GetInt32(5);
                    if (!indexes.TryGetValue(versionId, out var index))
                        indexes[versionId] = index = new TaxonomyIndex(await taxonomy.GetAsync(versionId, cancellationToken));
                    var attribute = index.Find(reader.GetInt32(4))!;
                    if (!heads.TryGetValue(index.KeyOf(attribute.Id), out var h)) continue;
                    var values = reader.GetFieldValue<int[]>(6);
                    page[^1].Targets[h] = Target(spec.Heads[h], attribute.Values.Where(v => values.Contains(v.Id)).Select(v => v.Key).ToArray());
                }
            }
            foreach (var image in page) yield return image;
            if (page.Count < pageSize) yield break;
            after = page[^1].ImageId;
        }
    }

    /// <summary>True for the held-out side: the first hash bytes decide, so the split never moves.</summary>
    public static bool IsHeldOut(byte[] sha256, double share) => BitConverter.ToUInt16(sha256, 0) / 65536.0 < share;

    /// <summary>The targets of an image for a spec's heads: value index, value bit mask, or -1 when unknown.</summary>
    public static int[] Targets(CaptionerSpec spec, IReadOnlyDictionary<string, string[]> labels) =>
        spec.Heads.Select(head => labels.TryGetValue(head.Attribute, out var values) ? Target(head, values) : -1).ToArray();

    /// <summary>One head's target from the value keys labelled: value index, value bit mask, or -1 when none or one the head does not know.</summary>
    private static int Target(HeadSpec head, IReadOnlyList<string> values)
    {
        if (values.Count == 0) return -1;
        var (first, mask) = (-1, 0);
        foreach (var value in values)
        {
            var at = IndexOf(head.Values, value);
            if (at < 0) return -1;
            if (first < 0) first = at;
            mask |= 1 << at;
        }
        return head.MultipleChoice ? mask : first;

        static int IndexOf(IReadOnlyList<string> known, string value)
        {
            for (var i = 0; i < known.Count; i++)
                if (known[i] == value) return i;
            return -1;
        }
    }

    /// <summary>
    /// Shrinks the thumbnails (and parsing maps, where they have one) of the verified images <paramref name="side"/> takes
    /// into a pixel cache, a few at a time as they stream in. <paramref name="side"/> is asked once per verified image, in id
    /// order and never concurrently, so it may record what it takes.
    /// </summary>
    public async Task<PixelCache> CacheAsync(CaptionerSpec spec, Func<TrainingImage, bool> side, string folder, CancellationToken cancellationToken)
    {
        var cache = new PixelCache(folder, spec);
        try
        {
            await Parallel.ForEachAsync(Numbered(), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
                async (numbered, ct) =>
                {
                    var (at, image) = numbered;
                    using var thumbnail = ThumbnailPixels.Decode(await store.ReadAllBytesAsync(image.ThumbnailKey, ct));
                    var pixels = ThumbnailPixels.Square(thumbnail, spec.ImageSize);
                    cache.Write(at, image.Targets, image.Usable, pixels, await ParsingMaps.ReadForCaptionerAsync(store, image.ParsingMapKey, thumbnail, pixels, spec, ct));
                });
            return cache;
        }
        catch
        {
            cache.Dispose();
            throw;
        }

        async IAsyncEnumerable<(int At, TrainingImage Image)> Numbered()
        {
            var count = 0;
            await foreach (var image in ReadAsync(spec, cancellationToken))
                if (side(image)) yield return (count++, image);
        }
    }
}
