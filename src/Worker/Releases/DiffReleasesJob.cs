using System.Text.Json;
using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Data.Persistence;
using AnnotateAnyone.Data.Releases;
using AnnotateAnyone.Data.Storage;
using AnnotateAnyone.Worker.Running;
using Microsoft.EntityFrameworkCore;

namespace AnnotateAnyone.Worker.Releases;

/// <summary>
/// Compares two published releases by merging their Parquet files in image id order: images added and removed,
/// images that moved split, and labels changed per attribute with examples. The result is the job's result.
/// </summary>
internal sealed class DiffReleasesJob(IDbContextFactory<AnnotateDbContext> contexts, IObjectStore store) : IJobHandler
{
    private const int Examples = 5;

    public JobKind Kind => JobKind.DiffReleases;

    public async Task<object?> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters<DiffReleasesParameters>();
        var (from, fromFiles) = await LoadAsync(parameters.From, cancellationToken);
        var (to, toFiles) = await LoadAsync(parameters.To, cancellationToken);
        await using var before = await ReleaseIndex.OpenAsync(store, from, fromFiles, cancellationToken);
        await using var after = await ReleaseIndex.OpenAsync(store, to, toFiles, cancellationToken);

        var attributes = before.Attributes.Intersect(after.Attributes).ToList();
        var changed = attributes.ToDictionary(a => a, _ => 0L);
        var examples = attributes.ToDictionary(a => a, _ => new List<LabelChangeExample>());
        long imagesBefore = 0, imagesAfter = 0, added = 0, removed = 0, moved = 0;
        var addedExamples = new List<string>();
        var removedExamples = new List<string>();

        using var left = before.Images().GetEnumerator();
        using var right = after.Images().GetEnumerator();
        var (hasLeft, hasRight) = (left.MoveNext(), right.MoveNext());
        while (hasLeft || hasRight)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (hasRight && (!hasLeft || right.Current.Id < left.Current.Id))
            {
                imagesAfter++;
                added++;
                if (addedExamples.Count < Examples) addedExamples.Add(right.Current.Sha256);
                hasRight = right.MoveNext();
            }
            else if (hasLeft && (!hasRight || left.Current.Id < right.Current.Id))
            {
                imagesBefore++;
                removed++;
                if (removedExamples.Count < Examples) removedExamples.Add(left.Current.Sha256);
                hasLeft = left.MoveNext();
            }
            else
            {
                imagesBefore++;
                imagesAfter++;
                if (left.Current.Split != right.Current.Split) moved++;
                foreach (var attribute in attributes)
                {
                    var (was, now) = (left.Current.Values[attribute], right.Current.Values[attribute]);
                    if (was == now) continue;
                    changed[attribute]++;
                    if (examples[attribute].Count < Examples) examples[attribute].Add(new LabelChangeExample(right.Current.Sha256, was, now));
                }
                (hasLeft, hasRight) = (left.MoveNext(), right.MoveNext());
            }
            if ((imagesBefore + imagesAfter) % 100_000 == 0)
                await context.ReportProgressAsync(0, $"{imagesBefore + imagesAfter:N0} rows compared", cancellationToken);
        }

        return new ReleaseDiff($"{from.Name} {from.Version}", $"{to.Name} {to.Version}", imagesBefore, imagesAfter, added, removed, moved,
            addedExamples, removedExamples,
            attributes.Select(a => new AttributeChanges(a, changed[a], examples[a])).OrderByDescending(a => a.Changed).ThenBy(a => a.Attribute).ToList());
    }

    private async Task<(Release, IReadOnlyList<ReleaseFile>)> LoadAsync(int id, CancellationToken cancellationToken)
    {
        var release = await PublishedReleases.FindAsync(contexts, id, "compared", cancellationToken);
        return (release, release.Files?.Deserialize<List<ReleaseFile>>(ReleaseCounts.Json) ?? []);
    }
}
