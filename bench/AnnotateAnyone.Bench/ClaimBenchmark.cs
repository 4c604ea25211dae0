using System.Collections.Concurrent;
using System.Diagnostics;
using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Persistence;
using AnnotateAnyone.Data.Review;
using AnnotateAnyone.Data.Taxonomy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace AnnotateAnyone.Bench;

/// <summary>
/// The review queue at scale: 1 million images with 20 million proposals (loaded with binary COPY) and a review
/// task each; 20 annotators claim at once. Ours: the workspace's claim plus loading the item (image, proposals,
/// labels) through the platform's services; the yardstick: the bare SQL of the same claim and proposal read.
/// </summary>
public static class ClaimBenchmark
{
    private const int Images = 1_000_000;
    private const int ProposalsPerImage = 20;
    private const int Annotators = 20;
    private const int ClaimsPerAnnotator = 100;

    public static async Task<BenchResult> RunAsync(BenchEnvironment environment)
    {
        var connectionString = await environment.CreateDatabaseAsync("bench_claim");
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Annotate"] = new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = 50 }.ConnectionString,
            ["Review:GoldShare"] = "0",
            ["Review:DoubleReviewShare"] = "0",
        });
        builder.AddAnnotateData();
        using var host = builder.Build();
        var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();

        var load = Stopwatch.StartNew();
        await LoadAsync(dataSource, host.Services.GetRequiredService<TaxonomyStore>());
        Console.WriteLine($"loaded {Images:N0} images, {Images * ProposalsPerImage:N0} proposals and {Images:N0} review tasks in {load.Elapsed.TotalSeconds:F0} s");

        var queue = host.Services.GetRequiredService<ReviewQueue>();
        var items = host.Services.GetRequiredService<ReviewItems>();
        var book = host.Services.GetRequiredService<Data.Labels.LabelBook>();
        var ours = await MeasureAsync(async annotator =>
        {
            var watch = Stopwatch.StartNew();
            var lease = await queue.ClaimNextAsync(annotator, [ReviewKind.Review], CancellationToken.None) ?? throw new InvalidOperationException("The queue ran dry.");
            var item = await items.LoadAsync(lease, CancellationToken.None);
            var elapsed = watch.Elapsed.TotalMilliseconds;
            if (item.Proposals.Count != ProposalsPerImage) throw new InvalidOperationException($"Image {lease.ImageId} has {item.Proposals.Count} proposals.");
            await book.CompleteAsync(lease, annotator, new Dictionary<int, int[]>(), ImageFlags.None, 0, CancellationToken.None);
            return elapsed;
        });
        var bare = await MeasureAsync(annotator => BareClaimAsync(dataSource, annotator));

        var (p50, p95, sqlP50, sqlP95) = (Percentiles.Of(ours, 50), Percentiles.Of(ours, 95), Percentiles.Of(bare, 50), Percentiles.Of(bare, 95));
        Console.WriteLine($"ours (claim + load item), {ours.Count} claims by {Annotators} annotators: p50 {p50:F1} ms, p95 {p95:F1} ms");
        Console.WriteLine($"bare SQL (claim + read proposals), {bare.Count} claims: p50 {sqlP50:F1} ms, p95 {sqlP95:F1} ms");
        return new BenchResult(p95 / sqlP95, ("p95_ms", p95), ("p50_ms", p50), ("sql_p95_ms", sqlP95));
    }

    private static async Task<List<double>> MeasureAsync(Func<Guid, Task<double>> claim)
    {
        var latencies = new ConcurrentBag<double>();
        await Task.WhenAll(Enumerable.Range(0, Annotators).Select(_ => Task.Run(async () =>
        {
            var annotator = Guid.NewGuid();
            for (var i = 0; i < ClaimsPerAnnotator + 5; i++)
            {
                var elapsed = await claim(annotator);
                if (i >= 5) latencies.Add(elapsed); // the first claims warm pools and caches
            }
        })));
        return [.. latencies];
    }

    /// <summary>The same claim statement and proposal read, with nothing around them; the task is then closed the same way.</summary>
    private static async Task<double> BareClaimAsync(NpgsqlDataSource dataSource, Guid annotator)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var watch = Stopwatch.StartNew();
        await using var claim = new NpgsqlCommand("""
            WITH next AS (
                SELECT id FROM review_tasks
                WHERE status = 0 AND kind = @kind AND (lease_expires_at IS NULL OR lease_expires_at < now())
                  AND (excluded_user IS NULL OR excluded_user <> @user)
                ORDER BY priority, id LIMIT 1 FOR UPDATE SKIP LOCKED)
            UPDATE review_tasks t SET leased_by = @user, lease_token = gen_random_uuid(), lease_expires_at = now() + interval '10 minutes'
            FROM next WHERE t.id = next.id RETURNING t.id, t.image_id
            """, connection);
        claim.Parameters.AddWithValue("kind", (short)0);
        claim.Parameters.AddWithValue("user", annotator);
        long task, image;
        await using (var reader = await claim.ExecuteReaderAsync())
        {
            await reader.ReadAsync();
            (task, image) = (reader.GetInt64(0), reader.GetInt64(1));
        }
        await using var proposals = new NpgsqlCommand("SELECT attribute_id, value_ids, confidence, model_version_id FROM label_proposals WHERE image_id = @image", connection);
        proposals.Parameters.AddWithValue("image", image);
        var rows = 0;
        await using (var reader = await proposals.ExecuteReaderAsync())
            while (await reader.ReadAsync()) rows++;
        var elapsed = watch.Elapsed.TotalMilliseconds;
        await using var done = new NpgsqlCommand("UPDATE review_tasks SET status = 1, completed_by = @user, completed_at = now() WHERE id = @task", connection);
        done.Parameters.AddWithValue("user", annotator);
        done.Parameters.AddWithValue("task", task);
        await done.ExecuteNonQueryAsync();
        return rows == ProposalsPerImage ? elapsed : throw new InvalidOperationException($"Image {image} has {rows} proposals.");
    }

    /// <summary>Images, proposals (one model, 20 attributes each) and tasks of random priority, all with binary COPY.</summary>
    private static async Task LoadAsync(NpgsqlDataSource dataSource, TaxonomyStore taxonomy)
    {
        var attributes = (await taxonomy.GetActiveAsync()).Groups.SelectMany(g => g.Attributes).Take(ProposalsPerImage).ToArray();
        await using var connection = await dataSource.OpenConnectionAsync();
        await ExecuteAsync(connection, """
            INSERT INTO model_versions (kind, number, name, status, taxonomy_version_id, created_at)
            SELECT 3, 1, 'bench', 0, id, now() FROM taxonomy_versions WHERE is_active
            """);
        var model = (int)(await new NpgsqlCommand("SELECT id FROM model_versions WHERE name = 'bench'", connection).ExecuteScalarAsync())!;
        // Loading is not what is measured: skip foreign-key checks during the load, as pg_restore does.
        await ExecuteAsync(connection, "SET session_replication_role = replica");

        var random = new Random(2024);
        await using (var images = await connection.BeginBinaryImportAsync(
            "COPY images (id, sha256, source_kind, source_uri, original_key, thumbnail_key, status, byte_size, flags, is_gold, width, height, created_at, updated_at) FROM STDIN (FORMAT BINARY)"))
        {
            var sha = new byte[32];
            var now = DateTimeOffset.UtcNow;
            for (long id = 1; id <= Images; id++)
            {
                random.NextBytes(sha);
                await images.StartRowAsync();
                await images.WriteAsync(id, NpgsqlDbType.Bigint);
                await images.WriteAsync(sha, NpgsqlDbType.Bytea);
                await images.WriteAsync((short)ImageSourceKind.Synthetic, NpgsqlDbType.Smallint);
                await images.WriteAsync("bench", NpgsqlDbType.Text);
                await images.WriteAsync("originals/x", NpgsqlDbType.Text);
                await images.WriteAsync("thumbnails/x", NpgsqlDbType.Text);
                await images.WriteAsync((short)ImageStatus.PendingReview, NpgsqlDbType.Smallint);
                await images.WriteAsync(1_000_000L, NpgsqlDbType.Bigint);
                await images.WriteAsync((short)0, NpgsqlDbType.Smallint);
                await images.WriteAsync(false, NpgsqlDbType.Boolean);
                await images.WriteAsync(1488, NpgsqlDbType.Integer);
                await images.WriteAsync(1255, NpgsqlDbType.Integer);
                await images.WriteAsync(now, NpgsqlDbType.TimestampTz);
                await images.WriteAsync(now, NpgsqlDbType.TimestampTz);
            }
            await images.CompleteAsync();
        }
        await ExecuteAsync(connection, "SELECT setval(pg_get_serial_sequence('images', 'id'), 1000000)");

        await using (var proposals = await connection.BeginBinaryImportAsync(
            "COPY label_proposals (image_id, attribute_id, value_ids, confidence, model_version_id, created_at) FROM STDIN (FORMAT BINARY)"))
        {
            var now = DateTimeOffset.UtcNow;
            for (long image = 1; image <= Images; image++)
            foreach (var attribute in attributes)
            {
                await proposals.StartRowAsync();
                await proposals.WriteAsync(image, NpgsqlDbType.Bigint);
                await proposals.WriteAsync(attribute.Id, NpgsqlDbType.Integer);
                await proposals.WriteAsync(new[] { attribute.Values[random.Next(attribute.Values.Count)].Id }, NpgsqlDbType.Array | NpgsqlDbType.Integer);
                await proposals.WriteAsync(random.NextSingle(), NpgsqlDbType.Real);
                await proposals.WriteAsync(model, NpgsqlDbType.Integer);
                await proposals.WriteAsync(now, NpgsqlDbType.TimestampTz);
            }
            await proposals.CompleteAsync();
        }

        await using (var tasks = await connection.BeginBinaryImportAsync(
            "COPY review_tasks (image_id, kind, priority, status, created_at) FROM STDIN (FORMAT BINARY)"))
        {
            var now = DateTimeOffset.UtcNow;
            for (long image = 1; image <= Images; image++)
            {
                await tasks.StartRowAsync();
                await tasks.WriteAsync(image, NpgsqlDbType.Bigint);
                await tasks.WriteAsync((short)ReviewKind.Review, NpgsqlDbType.Smallint);
                await tasks.WriteAsync(random.NextSingle(), NpgsqlDbType.Real);
                await tasks.WriteAsync((short)ReviewTaskStatus.Open, NpgsqlDbType.Smallint);
                await tasks.WriteAsync(now, NpgsqlDbType.TimestampTz);
            }
            await tasks.CompleteAsync();
        }
        await ExecuteAsync(connection, "SET session_replication_role = origin");
        await ExecuteAsync(connection, "ANALYZE images; ANALYZE label_proposals; ANALYZE review_tasks");
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }
}
