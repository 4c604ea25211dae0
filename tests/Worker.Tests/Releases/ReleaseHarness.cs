using System.Text.Json;
using AnnotateAnyone.Data.Audit;
using AnnotateAnyone.Data.Ingest;
using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Data.Releases;
using AnnotateAnyone.Data.Review;
using AnnotateAnyone.Data.Storage;
using AnnotateAnyone.Worker.Releases;
using AnnotateAnyone.Worker.Running;
using AnnotateAnyone.Worker.Tests.Ingest;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AnnotateAnyone.Worker.Tests.Releases;

/// <summary>
/// Synthetic people ingested, their ground truth written as verified labels (every third one AI-accepted), and
/// the release job wired as the Worker wires it on a filesystem store.
/// </summary>
public sealed class ReleaseHarness : IAsyncLifetime
{
    public const int People = 40;

    public TestDatabase Database { get; } = new();
    public IngestHarness Ingest { get; private set; } = null!;
    public string StoreRoot { get; } = Path.Combine(Path.GetTempPath(), $"aa-releases-{Guid.NewGuid():N}");
    public IObjectStore Store => Ingest.Store;

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        Ingest = new IngestHarness(Database, new IngestOptions { MinWidth = 64, MinHeight = 64, NearDuplicateDistance = 0 }, new FileSystemObjectStore(StoreRoot));
        await AddPeopleAsync(People, seed: 3);
    }

    public async Task DisposeAsync()
    {
        await Database.DisposeAsync();
        if (Directory.Exists(StoreRoot)) Directory.Delete(StoreRoot, recursive: true);
    }

    /// <summary>Ingests synthetic people and labels them with their truth, verified.</summary>
    public async Task AddPeopleAsync(int count, int seed)
    {
        await Ingest.RunAsync(new SyntheticSource(count, seed, 256, 256));
        await using var label = Database.DataSource.CreateCommand("""
            INSERT INTO labels (image_id, attribute_id, value_ids, source, confidence, model_version_id, revision)
            SELECT g.image_id, g.attribute_id, g.value_ids, CASE WHEN g.image_id % 3 = 0 THEN 1 ELSE 2 END,
                   CASE WHEN g.image_id % 3 = 0 THEN 0.99 END, NULL, 1
            FROM ground_truth_labels g JOIN images i ON i.id = g.image_id
            WHERE i.status <> 3 AND i.status <> 1
            ON CONFLICT DO NOTHING;
            UPDATE images SET status = 3 WHERE status IN (0, 2);
            """);
        await label.ExecuteNonQueryAsync();
    }

    public async Task<Release> DefineAsync(string name, string version, ReleaseSpec? spec = null)
    {
        await using var db = await Database.Contexts.CreateDbContextAsync();
        var release = new Release
        {
            Name = name,
            Version = version,
            Status = ReleaseStatus.Building,
            TaxonomyVersionId = (await Database.Taxonomy().GetActiveAsync()).Id,
            Spec = JsonSerializer.SerializeToDocument(spec ?? new ReleaseSpec(), JobScheduler.ParameterJson),
            Prefix = $"releases/{name.ToLowerInvariant()}/{version}",
        };
        db.Releases.Add(release);
        await db.SaveChangesAsync();
        return release;
    }

    /// <summary>Runs the build job for the release, as a Worker would (a store can be swapped in to fail on purpose).</summary>
    public async Task<Release> BuildAsync(int releaseId, IObjectStore? store = null, CancellationToken cancellationToken = default)
    {
        JobRun job;
        await using (var db = await Database.Contexts.CreateDbContextAsync())
        {
            job = new JobRun { Kind = JobKind.BuildRelease, Queue = JobQueues.Default, Parameters = JsonSerializer.SerializeToDocument(new BuildReleaseParameters(releaseId), JobScheduler.ParameterJson) };
            db.JobRuns.Add(job);
            await db.SaveChangesAsync();
        }
        var taxonomies = Database.Taxonomy();
        var builder = new ReleaseBuilder(Database.Contexts, Database.DataSource, taxonomies, new ReleaseRows(Database.DataSource),
            new ReleaseAccuracy(Database.Contexts, new AnnotatorStats(Database.DataSource, taxonomies)), store ?? Store, TimeProvider.System);
        var handler = new BuildReleaseJob(Database.Contexts, builder, new AuditTrail(Database.Contexts), TimeProvider.System);
        try
        {
            await handler.RunAsync(new JobContext(job, Database.Contexts, TimeProvider.System), cancellationToken);
        }
        catch (Exception) when (store is not null || cancellationToken.IsCancellationRequested)
        {
            // A sabotaged build is expected to fail; the test looks at what it left.
        }
        await using var read = await Database.Contexts.CreateDbContextAsync();
        return await read.Releases.AsNoTracking().SingleAsync(r => r.Id == releaseId);
    }

    /// <summary>Compares two releases as the Worker's job does.</summary>
    public async Task<ReleaseDiff> DiffAsync(int from, int to)
    {
        var job = new JobRun { Kind = JobKind.DiffReleases, Queue = JobQueues.Default, Parameters = JsonSerializer.SerializeToDocument(new DiffReleasesParameters(from, to), JobScheduler.ParameterJson) };
        var handler = new DiffReleasesJob(Database.Contexts, Store);
        return (ReleaseDiff)(await handler.RunAsync(new JobContext(job, Database.Contexts, TimeProvider.System), CancellationToken.None))!;
    }

    /// <summary>Verifies a release's files as the Worker's job does.</summary>
    public async Task<VerificationReport> VerifyAsync(int releaseId)
    {
        var job = new JobRun { Kind = JobKind.VerifyRelease, Queue = JobQueues.Default, Parameters = JsonSerializer.SerializeToDocument(new VerifyReleaseParameters(releaseId), JobScheduler.ParameterJson) };
        var handler = new VerifyReleaseJob(Database.Contexts, new ReleaseVerifier(Store), TimeProvider.System);
        return (VerificationReport)(await handler.RunAsync(new JobContext(job, Database.Contexts, TimeProvider.System), CancellationToken.None))!;
    }

    /// <summary>Imports CosmicMan-HQ label files as the Worker's job does.</summary>
    public async Task<LabelImportReport> ImportAsync(ImportLabelsParameters parameters)
    {
        var job = new JobRun { Kind = JobKind.ImportLabels, Queue = JobQueues.Default, Parameters = JsonSerializer.SerializeToDocument(parameters, JobScheduler.ParameterJson) };
        var taxonomies = Database.Taxonomy();
        var handler = new ImportLabelsJob(Database.Contexts, taxonomies, new Data.Images.ImageLookup(Database.DataSource), new ImportedLabelWriter(Database.DataSource),
            new Data.Labels.ProposalImporter(Database.DataSource, taxonomies), Store);
        return (LabelImportReport)(await handler.RunAsync(new JobContext(job, Database.Contexts, TimeProvider.System), CancellationToken.None))!;
    }

    /// <summary>The local path of a release file, for readers that open files.</summary>
    public string PathOf(Release release, string file) => Path.Combine(StoreRoot, release.Prefix, file);

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = Database.DataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public NpgsqlDataSource DataSource => Database.DataSource;
}
