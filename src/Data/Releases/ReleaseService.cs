using System.Text.Json;
using System.Text.RegularExpressions;
using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Data.Persistence;
using AnnotateAnyone.Data.Taxonomy;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AnnotateAnyone.Data.Releases;

public sealed record BuildReleaseParameters(int ReleaseId);

/// <summary>A release that cannot be defined as asked (its name and version are taken).</summary>
public sealed class ReleaseConflictException(string message) : Exception(message);

public sealed record ReleasePreview(long Images, long Labels, IReadOnlyDictionary<string, long> ImagesPerSplit, IReadOnlyList<ReleaseSampleRow> Sample);

public sealed record ReleaseSampleRow(long ImageId, string Sha256, int Width, int Height, string Split, string Caption, IReadOnlyDictionary<string, string[]> Labels);

/// <summary>Defines releases, previews what a filter selects, and queues their builds.</summary>
public sealed partial class ReleaseService(IDbContextFactory<AnnotateDbContext> contexts, NpgsqlDataSource dataSource, TaxonomyStore taxonomies,
    ReleaseRows rows, JobScheduler scheduler)
{
    public const int SampleSize = 10;

    /// <summary>How many images and labels the spec selects, per split, with the first rows as they will be written.</summary>
    public async Task<ReleasePreview> PreviewAsync(ReleaseSpec spec, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = await ReleaseQuery.ResolveAsync(db, taxonomies, spec, cancellationToken);

        await using var count = dataSource.CreateCommand(query.CountSql);
        await using var reader = await count.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var (images, labels) = (reader.GetInt64(0), reader.GetInt64(1));
        await reader.DisposeAsync();

        var perSplit = await SplitCountsAsync(query, spec.Splits, cancellationToken);
        var columns = new ReleaseColumns(query.Taxonomy);
        var sample = new List<ReleaseSampleRow>();
        await rows.ReadAsync(query, spec.Splits, (record, _) =>
        {
            sample.Add(new ReleaseSampleRow(record.ImageId, record.Key, record.Width, record.Height, ReleaseSplit.Name(record.Split), columns.CaptionText(record),
                columns.Attributes.Where(c => record.Values[c.Slot] is not null).ToDictionary(c => c.Key, c => columns.Multiple(record, c)!)));
            return ValueTask.CompletedTask;
        }, cancellationToken, limit: SampleSize);
        return new ReleasePreview(images, labels, perSplit, sample);
    }

    /// <summary>Records the release and queues its build on the default queue.</summary>
    public async Task<Release> DefineAsync(ReleaseRequest request, Guid? user, CancellationToken cancellationToken)
    {
        var name = request.Name?.Trim() ?? "";
        var version = request.Version?.Trim() ?? "";
        if (name.Length is 0 or > 100) throw new ArgumentException("A release needs a name of 1 to 100 characters (for example 'CosmicMan-HQ').");
        if (!VersionPattern().IsMatch(version))
            throw new ArgumentException($"'{version}' is not a release version: use digits and dots, for example '1.1'.");
        var spec = request.Spec ?? new ReleaseSpec();

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = await ReleaseQuery.ResolveAsync(db, taxonomies, spec, cancellationToken);
        if (await db.Releases.AnyAsync(r => r.Name == name && r.Version == version, cancellationToken))
            throw new ReleaseConflictException($"{name} {version} already exists; releases never change, so give this one a new version.");

        var release = new Release
        {
            Name = name,
            Version = version,
            Status = ReleaseStatus.Building,
            TaxonomyVersionId = query.Taxonomy.Version.Id,
            ParentId = await db.Releases.Where(r => r.Name == name && r.Status == ReleaseStatus.Published)
                .OrderByDescending(r => r.PublishedAt).Select(r => (int?)r.Id).FirstOrDefaultAsync(cancellationToken),
            Spec = JsonSerializer.SerializeToDocument(spec, JobScheduler.ParameterJson),
            Prefix = $"releases/{Slug(name)}/{version}",
            CreatedBy = user,
        };
        db.Releases.Add(release);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            throw new ReleaseConflictException($"{name} {version} already exists (or another release uses the folder {release.Prefix}).");
        }
        var run = await scheduler.EnqueueAsync(JobKind.BuildRelease, new BuildReleaseParameters(release.Id), user, cancellationToken: cancellationToken);
        release.JobRunId = run.Id;
        await db.SaveChangesAsync(cancellationToken);
        return release;
    }

    public static ReleaseSpec SpecOf(Release release) =>
        release.Spec.Deserialize<ReleaseSpec>(JobScheduler.ParameterJson) ?? new ReleaseSpec();

    private async Task<IReadOnlyDictionary<string, long>> SplitCountsAsync(ReleaseQuery query, ReleaseSplits splits, CancellationToken cancellationToken)
    {
        // The split is a function of the SHA-256's first 8 bytes; PostgreSQL computes the same position.
        await using var command = dataSource.CreateCommand($"""
            SELECT CASE WHEN p < @test THEN 'test' WHEN p < @test + @validation THEN 'validation' ELSE 'train' END, count(*)
            FROM (SELECT (('x' || encode(substring(i.sha256 FROM 1 FOR 8), 'hex'))::bit(64)::bigint::numeric
                          + CASE WHEN get_byte(i.sha256, 0) >= 128 THEN 18446744073709551616 ELSE 0 END) / 18446744073709551615 AS p
                  FROM images i WHERE {query.Where}) s
            GROUP BY 1
            """);
        command.Parameters.AddWithValue("test", (decimal)splits.Test);
        command.Parameters.AddWithValue("validation", (decimal)splits.Validation);
        var counts = new Dictionary<string, long> { ["train"] = 0, ["validation"] = 0, ["test"] = 0 };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) counts[reader.GetString(0)] = reader.GetInt64(1);
        return counts;
    }

    private static string Slug(string name) => SlugPattern().Replace(name.ToLowerInvariant(), "-").Trim('-') is { Length: > 0 } slug ? slug : "release";

    [GeneratedRegex(@"^\d{1,6}(\.\d{1,6}){0,3}$")]
    private static partial Regex VersionPattern();

    [GeneratedRegex(@"[^a-z0-9._]+")]
    private static partial Regex SlugPattern();
}
