using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Ingest;
using AnnotateAnyone.Data.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AnnotateAnyone.Web.Tests.Ingest;

/// <summary>Finished ingest runs written straight to the database, file by file, for the report's page and API.</summary>
public static class IngestReports
{
    public sealed record File(IngestOutcome Outcome, RejectReason? Reason = null);

    /// <summary>A finished folder run whose files are named photo-0.jpg, photo-1.jpg, … in source order.</summary>
    public static async Task<long> AddRunAsync(IDbContextFactory<AnnotateDbContext> contexts, IReadOnlyList<File> files)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var run = new IngestRun
        {
            SourceKind = ImageSourceKind.Folder, Source = System.Text.Json.JsonDocument.Parse("{}"), Description = "folder /photos",
            Total = files.Count, Processed = files.Count, Rejected = files.Count(f => f.Outcome == IngestOutcome.Rejected), FinishedAt = DateTimeOffset.UtcNow,
        };
        db.IngestRuns.Add(run);
        await db.SaveChangesAsync();
        db.IngestItems.AddRange(files.Select((file, i) => new IngestItem
        {
            IngestRunId = run.Id, Ordinal = i, Name = $"photo-{i}.jpg", Outcome = file.Outcome, Reason = file.Reason,
            Detail = file.Reason is null ? null : $"photo-{i}.jpg was refused",
        }));
        await db.SaveChangesAsync();
        return run.Id;
    }
}
