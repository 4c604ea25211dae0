using System.Text.Json;
using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Ingest;
using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Data.Storage;
using AnnotateAnyone.Data.Taxonomy;
using AnnotateAnyone.Worker.Ingest;
using AnnotateAnyone.Worker.Ingest.Sources;
using AnnotateAnyone.Worker.Running;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AnnotateAnyone.Worker.Tests.Ingest;

/// <summary>The ingest job wired as the Worker wires it, on a test database and a filesystem store.</summary>
public sealed class IngestHarness(TestDatabase database, IngestOptions options, IObjectStore? store = null, StorageOptions? storage = null)
{
    public IObjectStore Store { get; } = store ?? new FileSystemObjectStore(Path.Combine(Path.GetTempPath(), $"aa-ingest-{Guid.NewGuid():N}"));

    /// <summary>The job run of the last <see cref="RunAsync"/>, as the Worker left it.</summary>
    public JobRun? LastJob { get; private set; }

    public async Task<IngestRun> RunAsync(IngestSource source, Func<long, Task>? beforeRun = null)
    {
        long runId;
        JobRun job;
        await using (var db = await database.Contexts.CreateDbContextAsync())
        {
            var run = new IngestRun
            {
                SourceKind = source.Kind,
                Source = JsonSerializer.SerializeToDocument(source, JobScheduler.ParameterJson),
                Description = source.Describe(),
            };
            db.IngestRuns.Add(run);
            await db.SaveChangesAsync();
            runId = run.Id;
            job = new JobRun { Kind = JobKind.Ingest, Queue = JobQueues.Ingest, Parameters = JsonSerializer.SerializeToDocument(new IngestParameters(runId), JobScheduler.ParameterJson) };
            db.JobRuns.Add(job);
            await db.SaveChangesAsync();
        }
        if (beforeRun is not null) await beforeRun(runId);

        var optionsWrapper = Options.Create(options);
        var handler = new IngestJob(database.Contexts, Store, new ImageInspector(optionsWrapper), new ImageLookup(database.DataSource),
            new IngestWriter(database.DataSource), new CandidateSources(Store, Options.Create(storage ?? new StorageOptions()), optionsWrapper),
            new TaxonomyStore(database.Contexts), optionsWrapper, NullLogger<IngestJob>.Instance);
        await handler.RunAsync(new JobContext(job, database.Contexts, TimeProvider.System), CancellationToken.None);

        await using var read = await database.Contexts.CreateDbContextAsync();
        LastJob = await read.JobRuns.AsNoTracking().SingleAsync(j => j.Id == job.Id);
        return await read.IngestRuns.AsNoTracking().SingleAsync(r => r.Id == runId);
    }

    public async Task<List<IngestItem>> ItemsAsync(long runId)
    {
        await using var db = await database.Contexts.CreateDbContextAsync();
        return await db.IngestItems.AsNoTracking().Where(i => i.IngestRunId == runId).OrderBy(i => i.Ordinal).ToListAsync();
    }

    public async Task<List<Image>> ImagesAsync(long runId)
    {
        await using var db = await database.Contexts.CreateDbContextAsync();
        return await db.Images.AsNoTracking().Where(i => i.IngestRunId == runId).OrderBy(i => i.Id).ToListAsync();
    }

    public static string Folder(params (string Name, byte[] Bytes)[] files)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"aa-folder-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        foreach (var (name, bytes) in files) File.WriteAllBytes(Path.Combine(folder, name), bytes);
        return folder;
    }
}
