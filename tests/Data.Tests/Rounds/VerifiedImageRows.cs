using Npgsql;

namespace AnnotateAnyone.Data.Tests.Rounds;

/// <summary>Images that count as verified for training: thumbnailed and flagged unusable by a person.</summary>
public static class VerifiedImageRows
{
    public static async Task AddAsync(TestDatabase database, int count)
    {
        await using var insert = database.DataSource.CreateCommand("""
            INSERT INTO images (sha256, source_kind, source_uri, original_key, thumbnail_key, status, byte_size, flags, is_gold, created_at, updated_at)
            SELECT decode(md5(random()::text || g::text) || md5(g::text || clock_timestamp()::text), 'hex'), 1, 'test', 'k', 't', 3, 0, 1, false, now(), now()
            FROM generate_series(1, $1) g
            """);
        insert.Parameters.Add(new NpgsqlParameter { Value = count });
        await insert.ExecuteNonQueryAsync();
    }
}
