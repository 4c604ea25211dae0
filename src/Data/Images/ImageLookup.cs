using Npgsql;

namespace AnnotateAnyone.Data.Images;

public sealed record KnownImage(long Id, ImageStatus Status, string? RejectReason);

/// <summary>
/// Set-based lookups ingest makes for every chunk: which hashes are already stored, and which stored image (if
/// any) is a near duplicate of a perceptual hash. Both are index lookups, fit for millions of images.
/// </summary>
public sealed class ImageLookup(NpgsqlDataSource dataSource)
{
    /// <summary>Whether an image of this id is stored (in any state, refused ones too).</summary>
    public async Task<bool> ExistsAsync(long imageId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM images WHERE id = @image)");
        command.Parameters.AddWithValue("image", imageId);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<Dictionary<string, KnownImage>> FindBySha256Async(IReadOnlyCollection<byte[]> hashes, CancellationToken cancellationToken)
    {
        var known = new Dictionary<string, KnownImage>();
        if (hashes.Count == 0) return known;
        await using var command = dataSource.CreateCommand("SELECT sha256, id, status, reject_reason FROM images WHERE sha256 = ANY(@hashes)");
        command.Parameters.AddWithValue("hashes", hashes.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            known[Convert.ToHexString((byte[])reader[0])] = new KnownImage(reader.GetInt64(1), (ImageStatus)reader.GetInt16(2), reader.IsDBNull(3) ? null : reader.GetString(3));
        return known;
    }

    /// <summary>
    /// The closest stored (not refused) image whose hash is at most <paramref name="maxDistance"/> bits away.
    /// The hash is split in four 16-bit bands: within distance 7, some band differs by at most one bit, so
    /// probing each band's value and its 16 one-bit neighbours in the band indexes finds every candidate.
    /// </summary>
    public async Task<(long Id, int Distance)?> FindNearDuplicateAsync(long hash, int maxDistance, CancellationToken cancellationToken)
    {
        if (maxDistance <= 0) return null;
        await using var command = dataSource.CreateCommand("""
            SELECT id, bit_count((perceptual_hash # @hash)::bit(64)) AS distance
            FROM images
            WHERE perceptual_hash IS NOT NULL AND status <> 1
              AND (((perceptual_hash >> 48) & 65535) = ANY(@band0) OR ((perceptual_hash >> 32) & 65535) = ANY(@band1)
                OR ((perceptual_hash >> 16) & 65535) = ANY(@band2) OR (perceptual_hash & 65535) = ANY(@band3))
              AND bit_count((perceptual_hash # @hash)::bit(64)) <= @max
            ORDER BY distance, id
            LIMIT 1
            """);
        command.Parameters.AddWithValue("hash", hash);
        command.Parameters.AddWithValue("max", maxDistance);
        for (var band = 0; band < 4; band++)
            command.Parameters.AddWithValue($"band{band}", BandProbes(hash, band, oneBitNeighbours: maxDistance >= 4));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetInt64(0), (int)reader.GetInt64(1)) : null;
    }

    public static long Band(long hash, int band) => (hash >> (48 - 16 * band)) & 0xFFFF;

    public static int Distance(long a, long b) => System.Numerics.BitOperations.PopCount((ulong)(a ^ b));

    private static long[] BandProbes(long hash, int band, bool oneBitNeighbours)
    {
        var value = Band(hash, band);
        return oneBitNeighbours ? [value, .. Enumerable.Range(0, 16).Select(bit => value ^ (1L << bit))] : [value];
    }
}
