using System.Text.Json;
using AnnotateAnyone.Data.Captions;
using AnnotateAnyone.Data.Daring;
using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Data.ModelRegistry;
using AnnotateAnyone.Data.Persistence;
using AnnotateAnyone.Data.Releases;
using AnnotateAnyone.Data.Taxonomy;
using Microsoft.EntityFrameworkCore;

namespace AnnotateAnyone.Web.Daring;

/// <summary>A Daring version as pages and the API show it: what it was trained on and its evaluation report.</summary>
public sealed record DaringModelView(int Id, int Number, string Status, DateTimeOffset CreatedAt, string? TrainedOn, long? JobRunId, DaringReport? Report);

/// <summary>A generation run: its state and, once done, its files.</summary>
public sealed record GenerationView(long RunId, string Status, string? Error, string? ProgressMessage, GeneratedImages? Result);

/// <summary>One taxonomy group for the prompt composer: its attributes' values, and the phrase they compose to.</summary>
public sealed record ComposerGroup(AttributeGroup Group, IReadOnlyList<AttributeDefinition> Attributes)
{
    public string Key => Group.Key;
    public string Name => Group.Name;

    /// <summary>The group's words for the chosen value ids (by attribute id), composed as captions compose them.</summary>
    public string PhraseOf(IReadOnlyDictionary<int, int[]> chosen) => CaptionComposer.GroupPhrase(Group, chosen) ?? "";
}

/// <summary>Reads Daring versions, generation runs and the composer's vocabulary for the pages and the HTTP API.</summary>
public sealed class DaringViews(IDbContextFactory<AnnotateDbContext> contexts, TaxonomyStore taxonomies)
{
    public async Task<IReadOnlyList<DaringModelView>> ModelsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var models = await db.ModelVersions.AsNoTracking().Where(m => m.Kind == ModelKind.Diffusion).OrderByDescending(m => m.Number).ToListAsync(cancellationToken);
        var releaseIds = models.Where(m => m.TrainedOnReleaseId != null).Select(m => m.TrainedOnReleaseId!.Value).ToList();
        var releases = await db.Releases.AsNoTracking().Where(r => releaseIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => $"{r.Name} {r.Version}", cancellationToken);
        var roundIds = models.Where(m => m.TrainedOnRoundId != null).Select(m => m.TrainedOnRoundId!.Value).ToList();
        var rounds = await db.Rounds.AsNoTracking().Where(r => roundIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => r.Name, cancellationToken);
        return models.Select(m => new DaringModelView(m.Id, m.Number, m.Status.ToString(), m.CreatedAt,
            m.TrainedOnReleaseId is { } release ? releases.GetValueOrDefault(release) : m.TrainedOnRoundId is { } round ? rounds.GetValueOrDefault(round) : null,
            m.JobRunId, DaringReport.From(m.Metrics))).ToList();
    }

    public async Task<GenerationView?> GenerationAsync(long runId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var run = await db.JobRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId && r.Kind == JobKind.GenerateImages, cancellationToken);
        if (run is null) return null;
        return new GenerationView(run.Id, run.Status.ToString(), run.Error, run.ProgressMessage,
            run.Status == JobRunStatus.Succeeded ? run.Result?.Deserialize<GeneratedImages>(JobScheduler.ParameterJson) : null);
    }

    /// <summary>Published releases and rounds a Daring run can train on, newest first.</summary>
    public async Task<(IReadOnlyList<(int Id, string Name)> Releases, IReadOnlyList<(int Id, string Name)> Rounds)> SourcesAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var releases = await db.Releases.AsNoTracking().Where(r => r.Status == ReleaseStatus.Published).OrderByDescending(r => r.PublishedAt)
            .Select(r => new { r.Id, Name = r.Name + " " + r.Version }).Take(100).ToListAsync(cancellationToken);
        var rounds = await db.Rounds.AsNoTracking().OrderByDescending(r => r.Id).Select(r => new { r.Id, r.Name }).Take(100).ToListAsync(cancellationToken);
        return (releases.Select(r => (r.Id, r.Name)).ToList(), rounds.Select(r => (r.Id, r.Name)).ToList());
    }

    public async Task<IReadOnlyList<ComposerGroup>> ComposerAsync(CancellationToken cancellationToken)
    {
        var taxonomy = await taxonomies.GetActiveAsync(cancellationToken);
        return taxonomy.Groups.OrderBy(g => g.Position)
            .Select(g => new ComposerGroup(g, g.Attributes.OrderBy(a => a.Position).ToList())).ToList();
    }
}
