using System.Text.Json;
using AnnotateAnyone.Data.Captions;
using AnnotateAnyone.Data.Daring;
using AnnotateAnyone.Data.Persistence;
using AnnotateAnyone.Data.Releases;
using AnnotateAnyone.Data.Storage;
using AnnotateAnyone.Data.Taxonomy;
using AnnotateAnyone.Model.Diffusion;
using AnnotateAnyone.Worker.Releases;
using AnnotateAnyone.Worker.Training;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AnnotateAnyone.Worker.Daring;

/// <summary>One image Daring trains or evaluates on: where its thumbnail and parsing map are, its caption groups, and its labels by attribute key.</summary>
public sealed record DaringImage(long Id, byte[] Sha256, string? ParsingMapKey, IReadOnlyList<CaptionGroup> Groups, IReadOnlyDictionary<string, string[]> Labels)
{
    public string ThumbnailKey => ObjectKeys.Thumbnail(Sha256);
}

/// <summary>Where a run's images come from, streamed: a published release's Parquet files, or a round's verified images.</summary>
public sealed record DaringSource(string Description, TaxonomyVersion Taxonomy, int? ReleaseId, IAsyncEnumerable<(DaringImage Image, bool HeldOut)> Images);

/// <summary>
/// Reads the images of a Daring run one at a time. A release gives exactly what it published (its caption
/// columns per group, its parsing maps, its train split; validation and test are held out); a round gives its
/// verified images with captions composed from their human labels, held out by SHA-256.
/// </summary>
public sealed class DaringImages(IDbContextFactory<AnnotateDbContext> contexts, NpgsqlDataSource dataSource, IObjectStore store, TaxonomyStore taxonomies)
{
    public async Task<DaringSource> OpenAsync(TrainDaringParameters parameters, double validationShare, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (parameters.ReleaseId is { } releaseId)
        {
            var release = await db.Releases.AsNoTracking().SingleOrDefaultAsync(r => r.Id == releaseId, cancellationToken)
                ?? throw new InvalidOperationException($"Release {releaseId} does not exist.");
            if (release.Status != ReleaseStatus.Published)
                throw new InvalidOperationException($"{release.Name} {release.Version} is not published; Daring trains only on published releases.");
            var taxonomy = await taxonomies.GetAsync(release.TaxonomyVersionId, cancellationToken);
            return new DaringSource($"{release.Name} {release.Version}", taxonomy, release.Id, FromReleaseAsync(release, taxonomy, cancellationToken));
        }
        var roundId = parameters.RoundId!.Value;
        var round = await db.Rounds.AsNoTracking().SingleOrDefaultAsync(r => r.Id == roundId, cancellationToken)
            ?? throw new InvalidOperationException($"Round {roundId} does not exist.");
        var translation = await taxonomies.IntoActiveAsync(cancellationToken);
        return new DaringSource(round.Name, translation.Target.Version, null, FromRoundAsync(roundId, translation, validationShare, cancellationToken));
    }

    private static IReadOnlyList<CaptionGroup> Groups(TaxonomyVersion taxonomy, Func<AttributeGroup, string?> phrase) =>
        taxonomy.Groups.OrderBy(g => g.Position)
            .Select(g => new CaptionGroup(g.Key, phrase(g) ?? "", Placement(g.Order), g.ParsingClasses))
            .Where(g => g.Phrase.Length > 0).ToList();

    private static GroupPlacement Placement(GroupOrder order) => order switch
    {
        GroupOrder.Fixed => GroupPlacement.Fixed,
        GroupOrder.Optional => GroupPlacement.Optional,
        _ => GroupPlacement.Shuffled,
    };

    private async IAsyncEnumerable<(DaringImage, bool)> FromReleaseAsync(Release release, TaxonomyVersion taxonomy,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var files = release.Files?.Deserialize<List<ReleaseFile>>(ReleaseCounts.Json) ?? [];
        var columns = new ReleaseColumns(new TaxonomyIndex(taxonomy)).Attributes.ToDictionary(a => a.Column, a => a.Key);
        var trainSplit = ReleaseSplit.Name(Split.Train);
        await using var index = await ReleaseIndex.OpenAsync(store, release, files, cancellationToken, withTexts: true);
        foreach (var row in index.Images())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var groups = Groups(taxonomy, g => row.Texts.GetValueOrDefault(ReleaseColumns.CaptionColumn(g)));
            var labels = row.Values.Where(v => v.Value is not null && columns.ContainsKey(v.Key))
                .ToDictionary(v => columns[v.Key], v => v.Value!.Split('|'));
            yield return (new DaringImage(row.Id, Convert.FromHexString(row.Sha256), row.Texts.GetValueOrDefault("parsing_map_key"), groups, labels), row.Split != trainSplit);
        }
    }

    /// <summary>A round's verified images with their human labels of every taxonomy version, read in the active one's terms.</summary>
    private async IAsyncEnumerable<(DaringImage, bool)> FromRoundAsync(int roundId, TaxonomyTranslation translation, double validationShare,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (index, taxonomy) = (translation.Target, translation.Target.Version);
        // Versions in the order they were made, so that a newer version's label of an attribute replaces an older one's.
        await using var command = dataSource.CreateCommand("""
            SELECT i.id, i.sha256, i.parsing_map_key, l.attribute_id, l.value_ids
            FROM images i
            JOIN labels l ON l.image_id = i.id AND l.source IN (2, 3, 4, 5)
            JOIN attributes a ON a.id = l.attribute_id
            WHERE i.round_id = $1 AND i.status = 3 AND i.thumbnail_key IS NOT NULL
            ORDER BY i.id, a.taxonomy_version_id
            """);
        command.Parameters.AddWithValue(roundId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        (long Id, byte[] Sha, string? Map, Dictionary<int, int[]> Values)? current = null;
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetInt64(0);
            if (current?.Id != id)
            {
                if (current is { } done) yield return Image(done);
                current = (id, (byte[])reader[1], reader.IsDBNull(2) ? null : reader.GetString(2), []);
            }
            if (translation.Translate(reader.GetInt32(3), reader.GetFieldValue<int[]>(4)) is { } label) current.Value.Values[label.AttributeId] = label.ValueIds;
        }
        if (current is { } last) yield return Image(last);

        (DaringImage, bool) Image((long Id, byte[] Sha, string? Map, Dictionary<int, int[]> Values) row)
        {
            var labels = row.Values.ToDictionary(v => index.KeyOf(v.Key),
                v => index.Find(v.Key)!.Values.Where(value => v.Value.Contains(value.Id)).Select(value => value.Key).ToArray());
            var image = new DaringImage(row.Id, row.Sha, row.Map, Groups(taxonomy, g => CaptionComposer.GroupPhrase(g, row.Values)), labels);
            return (image, TrainingSet.IsHeldOut(row.Sha, validationShare));
        }
    }
}
