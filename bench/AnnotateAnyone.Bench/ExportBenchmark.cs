using System.Diagnostics;
using System.Text.Json;
using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Data.Labels;
using AnnotateAnyone.Data.Persistence;
using AnnotateAnyone.Data.Releases;
using AnnotateAnyone.Data.Review;
using AnnotateAnyone.Data.Storage;
using AnnotateAnyone.Data.Taxonomy;
using AnnotateAnyone.Worker.Releases;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace AnnotateAnyone.Bench;

/// <summary>
/// Release export at scale: 1 million verified images with 20 labels each (loaded with binary COPY). Ours: the
/// release builder writing Parquet and JSON Lines (no image bytes) to the filesystem store; the yardstick:
/// PostgreSQL's own <c>COPY (the same query) TO</c> a file, in the same run. Peak memory is the process's resident
/// set, sampled while ours runs. AA_BENCH_EXPORT_IMAGES sets a smaller size for a quick look.
/// </summary>
public static class ExportBenchmark
{
    private const int LabelsPerImage = 20;

    public static async Task<BenchResult> RunAsync(BenchEnvironment environment)
    {
        var images = int.TryParse(Environment.GetEnvironmentVariable("AA_BENCH_EXPORT_IMAGES"), out var n) ? n : 1_000_000;
        var connectionString = await environment.CreateDatabaseAsync("bench_export");
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Annotate"] = connectionString });
        builder.AddAnnotateData();
        using var host = builder.Build();
        var services = host.Services;
        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        var taxonomies = services.GetRequiredService<TaxonomyStore>();

        var load = Stopwatch.StartNew();
        await LoadAsync(dataSource, taxonomies, images);
        Console.WriteLine($"loaded {images:N0} images and {images * LabelsPerImage:N0} labels in {load.Elapsed.TotalSeconds:F0} s");

        var store = new FileSystemObjectStore(Path.Combine(environment.Scratch, "store"));
        var contexts = services.GetRequiredService<IDbContextFactory<AnnotateDbContext>>();
        var releases = new ReleaseBuilder(contexts, dataSource, taxonomies, new ReleaseRows(dataSource),
            new ReleaseAccuracy(contexts, services.GetRequiredService<AnnotatorStats>()), store, TimeProvider.System);
        var spec = new ReleaseSpec { Formats = [ReleaseFormats.Parquet, ReleaseFormats.JsonLines] };
        await using var db = await contexts.CreateDbContextAsync();
        var query = await ReleaseQuery.ResolveAsync(db, taxonomies, spec, CancellationToken.None);

        var copyFirst = await CopyToFileAsync(dataSource, query, environment.Scratch, images);
        var (ours, peakMb) = await ExportAsync(releases, contexts, spec, images);
        var copySecond = await CopyToFileAsync(dataSource, query, environment.Scratch, images);
        var copy = (copyFirst + copySecond) / 2;

        Console.WriteLine($"COPY (same query) TO file: {copyFirst:N0} and {copySecond:N0} rows/s");
        Console.WriteLine($"ours (Parquet + JSON Lines, three splits, checksums, upload to the store): {ours:N0} rows/s, peak {peakMb:F0} MB resident");
        return new BenchResult(ours / copy, ("ours_rows_s", ours), ("copy_rows_s", copy), ("peak_mb", peakMb));
    }

    private static async Task<double> CopyToFileAsync(NpgsqlDataSource dataSource, ReleaseQuery query, string scratch, int images)
    {
        // The server writes the file, as its own user: give it a folder it may write to.
        var folder = Path.Combine(scratch, "copy");
        Directory.CreateDirectory(folder);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(folder, (UnixFileMode)0x1FF);
        var file = Path.Combine(folder, "rows.txt");
        await using var command = dataSource.CreateCommand($"COPY ({query.RowsSql()}) TO '{file}'");
        command.CommandTimeout = 0;
        var watch = Stopwatch.StartNew();
        var rows = await command.ExecuteNonQueryAsync();
        var rate = rows / watch.Elapsed.TotalSeconds;
        if (rows != images) throw new InvalidOperationException($"COPY wrote {rows} rows, not {images}.");
        File.Delete(file);
        return rate;
    }

    private static async Task<(double RowsPerSecond, double PeakMb)> ExportAsync(ReleaseBuilder builder, IDbContextFactory<AnnotateDbContext> contexts, ReleaseSpec spec, int images)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var release = new Release
        {
            Name = "Bench",
            Version = "1.0",
            Status = ReleaseStatus.Building,
            TaxonomyVersionId = await db.TaxonomyVersions.Where(t => t.IsActive).Select(t => t.Id).SingleAsync(),
            Spec = JsonSerializer.SerializeToDocument(spec, JobScheduler.ParameterJson),
            Prefix = "releases/bench/1.0",
        };
        db.Releases.Add(release);
        await db.SaveChangesAsync();

        GC.Collect();
        long peak = Environment.WorkingSet;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, Environment.WorkingSet);
                await Task.Delay(50);
            }
        });
        var (pausedBefore, gen0Before, gen1Before, allocatedBefore) = (GC.GetTotalPauseDuration(), GC.CollectionCount(0), GC.CollectionCount(1), GC.GetTotalAllocatedBytes());
        var watch = Stopwatch.StartNew();
        var built = await builder.BuildAsync(release, (_, _) => Task.CompletedTask, CancellationToken.None);
        var rate = built.Counts.Images / watch.Elapsed.TotalSeconds;
        Console.WriteLine($"ours' garbage collection: {(GC.GetTotalPauseDuration() - pausedBefore).TotalSeconds:F2} s paused, " +
            $"{GC.CollectionCount(0) - gen0Before} gen0 and {GC.CollectionCount(1) - gen1Before} gen1 collections, {(GC.GetTotalAllocatedBytes() - allocatedBefore) / 1e9:F1} GB allocated");
        await sampling.CancelAsync();
        await sampler;
        if (built.Counts.Images != images) throw new InvalidOperationException($"The release has {built.Counts.Images} images, not {images}.");
        return (rate, peak / 1048576.0);
    }

    /// <summary>Verified images with one label for each of 20 attributes (a third AI-accepted), all with binary COPY.</summary>
    private static async Task LoadAsync(NpgsqlDataSource dataSource, TaxonomyStore taxonomy, int count)
    {
        var attributes = (await taxonomy.GetActiveAsync()).Groups.OrderBy(g => g.Position).SelectMany(g => g.Attributes.OrderBy(a => a.Position))
            .Where(a => a.Kind == AttributeKind.SingleChoice).Take(LabelsPerImage).ToArray();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using (var replica = new NpgsqlCommand("SET session_replication_role = replica", connection)) await replica.ExecuteNonQueryAsync();
        var random = new Random(7);
        var now = DateTimeOffset.UtcNow;
        await using (var rows = await connection.BeginBinaryImportAsync(
            "COPY images (id, sha256, source_kind, source_uri, original_key, status, byte_size, flags, is_gold, width, height, format, created_at, updated_at) FROM STDIN (FORMAT BINARY)"))
        {
            var sha = new byte[32];
            for (long id = 1; id <= count; id++)
            {
                random.NextBytes(sha);
                await rows.StartRowAsync();
                await rows.WriteAsync(id, NpgsqlDbType.Bigint);
                await rows.WriteAsync(sha, NpgsqlDbType.Bytea);
                await rows.WriteAsync((short)ImageSourceKind.Synthetic, NpgsqlDbType.Smallint);
                await rows.WriteAsync("bench", NpgsqlDbType.Text);
                await rows.WriteAsync(ObjectKeys.Original(sha, "jpg"), NpgsqlDbType.Text);
                await rows.WriteAsync((short)ImageStatus.Verified, NpgsqlDbType.Smallint);
                await rows.WriteAsync(400_000L, NpgsqlDbType.Bigint);
                await rows.WriteAsync((short)0, NpgsqlDbType.Smallint);
                await rows.WriteAsync(false, NpgsqlDbType.Boolean);
                await rows.WriteAsync(1488, NpgsqlDbType.Integer);
                await rows.WriteAsync(1255, NpgsqlDbType.Integer);
                await rows.WriteAsync((short)ImageFormat.Jpeg, NpgsqlDbType.Smallint);
                await rows.WriteAsync(now, NpgsqlDbType.TimestampTz);
                await rows.WriteAsync(now, NpgsqlDbType.TimestampTz);
            }
            await rows.CompleteAsync();
        }
        await using (var rows = await connection.BeginBinaryImportAsync(
            "COPY labels (image_id, attribute_id, value_ids, source, confidence, decided_at, revision) FROM STDIN (FORMAT BINARY)"))
        {
            for (long image = 1; image <= count; image++)
            foreach (var attribute in attributes)
            {
                var ai = random.Next(3) == 0;
                await rows.StartRowAsync();
                await rows.WriteAsync(image, NpgsqlDbType.Bigint);
                await rows.WriteAsync(attribute.Id, NpgsqlDbType.Integer);
                await rows.WriteAsync(new[] { attribute.Values[random.Next(attribute.Values.Count)].Id }, NpgsqlDbType.Array | NpgsqlDbType.Integer);
                await rows.WriteAsync((short)(ai ? LabelSource.AiAccepted : LabelSource.Human), NpgsqlDbType.Smallint);
                if (ai) await rows.WriteAsync(0.9f + random.NextSingle() / 10, NpgsqlDbType.Real);
                else await rows.WriteNullAsync();
                await rows.WriteAsync(now, NpgsqlDbType.TimestampTz);
                await rows.WriteAsync(1, NpgsqlDbType.Integer);
            }
            await rows.CompleteAsync();
        }
        await using var analyze = new NpgsqlCommand("SET session_replication_role = origin; ANALYZE images; ANALYZE labels", connection) { CommandTimeout = 0 };
        await analyze.ExecuteNonQueryAsync();
    }
}
