using System.Text.Json;
using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Ingest;
using AnnotateAnyone.Web.Ingest;
using Microsoft.Extensions.DependencyInjection;

namespace AnnotateAnyone.Web.Tests.Ingest;

public sealed class SyntheticSeedTests(WebApp app) : IClassFixture<WebApp>
{
    /// <summary>The same seed draws the same people, whom ingest would refuse one by one as duplicates.</summary>
    [Fact]
    public async Task The_seed_offered_for_synthetic_people_is_one_no_run_has_used()
    {
        var queries = app.Services.GetRequiredService<IngestQueries>();
        var first = await queries.UnusedSyntheticSeedAsync(CancellationToken.None);

        await using (var db = await app.Database.Contexts.CreateDbContextAsync())
        {
            db.IngestRuns.AddRange(
                Run(ImageSourceKind.Synthetic, """{"kind": "synthetic", "seed": 77, "count": 10, "width": 512, "height": 512}"""),
                Run(ImageSourceKind.Synthetic, """{"kind": "synthetic", "seed": 1, "count": 10, "width": 512, "height": 512}"""),
                Run(ImageSourceKind.Folder, """{"kind": "folder", "path": "/data/seed-900"}"""));
            await db.SaveChangesAsync();
        }

        Assert.Equal(1, first);
        Assert.Equal(78, await queries.UnusedSyntheticSeedAsync(CancellationToken.None));
    }

    private static IngestRun Run(ImageSourceKind kind, string source) =>
        new() { SourceKind = kind, Source = JsonDocument.Parse(source), Description = kind.ToString(), CreatedAt = DateTimeOffset.UtcNow };
}
