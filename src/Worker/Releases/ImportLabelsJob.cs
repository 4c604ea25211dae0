using System.Security.Cryptography;
using System.Text.Json;
using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Data.Labels;
using AnnotateAnyone.Data.Persistence;
using AnnotateAnyone.Data.Releases;
using AnnotateAnyone.Data.Storage;
using AnnotateAnyone.Data.Taxonomy;
using AnnotateAnyone.Worker.Hosting;
using AnnotateAnyone.Worker.Running;
using Microsoft.EntityFrameworkCore;
using ParquetSharp;

namespace AnnotateAnyone.Worker.Releases;

/// <summary>
/// Imports CosmicMan-HQ label files into the active taxonomy: <c>aa_text</c>'s entries map to the taxonomy's groups
/// after the shot group (as our CosmicMan-HQ layout writes them), <c>person_type</c> to the shot type. Images are
/// matched by the SHA-256 of the file at <c>path</c>; parsing maps at <c>segm_path</c> are stored for images that have
/// none. Values the taxonomy lacks are counted and reported, never guessed; the rest are written in batches.
/// </summary>
internal sealed class ImportLabelsJob(IDbContextFactory<AnnotateDbContext> contexts, TaxonomyStore taxonomies, ImageLookup images,
    ImportedLabelWriter labels, ProposalImporter proposals, IObjectStore store) : IJobHandler
{
    private const int Batch = 2000;
    private const int MaxReported = 100;

    public JobKind Kind => JobKind.ImportLabels;

    public async Task<object?> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters<ImportLabelsParameters>();
        if (parameters.Problems() is [var problem, ..]) throw new InvalidOperationException(problem);
        var taxonomy = new TaxonomyIndex(await taxonomies.GetActiveAsync(cancellationToken));
        var groups = CosmicManLayout.TextGroups(taxonomy);
        var report = new Tally();
        var pending = new List<PendingRow>();

        if (!Directory.Exists(parameters.Folder))
            throw new InvalidOperationException(WorkerPaths.NotAFolder(parameters.Folder, "the label files and the pictures"));
        foreach (var labelFile in parameters.LabelFiles)
        {
            var path = Path.Combine(parameters.Folder, labelFile);
            if (!File.Exists(path)) throw new InvalidOperationException($"The label file {labelFile} is not in {parameters.Folder}.");
            foreach (var row in ReadRows(path))
            {
                report.Rows++;
                var image = Path.Combine(parameters.Folder, Path.GetDirectoryName(labelFile) ?? "", row.Path);
                if (!File.Exists(image))
                {
                    report.Missing(row.Path);
                    continue;
                }
                pending.Add(row with { Path = image, Segmentation = row.Segmentation is { } s ? Path.Combine(parameters.Folder, Path.GetDirectoryName(labelFile) ?? "", s) : null });
                if (pending.Count == Batch) await WriteAsync(pending, taxonomy, groups, parameters, context, report, cancellationToken);
            }
        }
        await WriteAsync(pending, taxonomy, groups, parameters, context, report, cancellationToken);
        return report.Report();
    }

    private async Task WriteAsync(List<PendingRow> rows, TaxonomyIndex taxonomy, IReadOnlyList<AttributeGroup> groups, ImportLabelsParameters parameters,
        JobContext context, Tally report, CancellationToken cancellationToken)
    {
        if (rows.Count == 0) return;
        var hashes = new Dictionary<PendingRow, byte[]>();
        foreach (var row in rows)
            await using (var file = File.OpenRead(row.Path))
                hashes[row] = await SHA256.HashDataAsync(file, cancellationToken);
        var known = await images.FindBySha256Async(hashes.Values.ToList(), cancellationToken);

        var found = new List<(long ImageId, AttributeDefinition Attribute, List<AttributeValue> Values)>();
        foreach (var row in rows)
        {
            var sha = hashes[row];
            if (!known.TryGetValue(Convert.ToHexString(sha), out var image) || image.Status is ImageStatus.Rejected)
            {
                report.NotIngested++;
                continue;
            }
            report.Images++;
            foreach (var (attribute, values) in Labels(row, taxonomy, groups, report)) found.Add((image.Id, attribute, values));
            if (row.Segmentation is { } segm && File.Exists(segm)) await StoreParsingMapAsync(image.Id, sha, segm, cancellationToken);
        }
        // A picture listed twice, or two copies of one file, takes the later row's answer for each attribute, as a later
        // batch or importing again would; one statement cannot write a label (or one batch propose) twice.
        found = [.. found.GroupBy(l => (l.ImageId, l.Attribute.Id)).Select(g => g.Last())];
        if (parameters.AsProposals)
        {
            var proposed = found.Select(l => (ProposalRow?)new ProposalRow(l.ImageId, null, taxonomy.KeyOf(l.Attribute.Id), l.Values.Select(v => v.Key).ToArray(), 1f));
            var written = await proposals.ImportAsync("cosmicman-hq-import", string.Join(",", parameters.LabelFiles), proposed.ToAsyncEnumerable(), cancellationToken);
            if (!written.Accepted) throw new InvalidOperationException($"The proposals were refused: {string.Join("; ", written.Errors.Take(5).Select(e => e.Message))}");
        }
        else await labels.WriteAsync(found.Select(l => new ImportedLabel(l.ImageId, l.Attribute.Id, l.Values.Select(v => v.Id).ToArray())).ToList(),
            context.Run.CreatedBy, cancellationToken);
        report.Labels += found.Count;
        rows.Clear();
        await context.ReportProgressAsync(0, $"{report.Rows:N0} rows read, {report.Labels:N0} labels imported", cancellationToken);
    }

    /// <summary>The row's labels that the taxonomy knows; the others are counted as unknown.</summary>
    private static IEnumerable<(AttributeDefinition Attribute, List<AttributeValue> Values)> Labels(PendingRow row, TaxonomyIndex taxonomy,
        IReadOnlyList<AttributeGroup> groups, Tally report)
    {
        var found = new List<(AttributeDefinition, List<AttributeValue>)>();
        if (row.PersonType is { } shotType && taxonomy.Find(CosmicManLayout.ShotAttribute) is { } shot)
            Add(found, shot, CosmicManLayout.ShotAttribute, [shotType], report);
        using var text = JsonDocument.Parse(row.AttributeText);
        var entries = text.RootElement.EnumerateArray().ToList();
        for (var i = 0; i < entries.Count && i < groups.Count; i++)
        {
            if (entries[i].ValueKind != JsonValueKind.Object) continue;
            foreach (var property in entries[i].EnumerateObject())
            {
                var key = $"{groups[i].Key}.{property.Name}";
                string[] values = property.Value.ValueKind == JsonValueKind.Array
                    ? property.Value.EnumerateArray().Select(v => v.GetString() ?? "").ToArray()
                    : [property.Value.GetString() ?? ""];
                if (taxonomy.Find(key) is { } attribute) Add(found, attribute, key, values, report);
                else report.Unknown(key, "(attribute)");
            }
        }
        return found;
    }

    private static void Add(List<(AttributeDefinition, List<AttributeValue>)> found, AttributeDefinition attribute, string key, string[] values, Tally report)
    {
        var known = new List<AttributeValue>();
        foreach (var value in values)
        {
            if (TaxonomyIndex.FindValue(attribute, value) is { } v) known.Add(v);
            else report.Unknown(key, value);
        }
        if (known.Count > 0) found.Add((attribute, known));
    }

    private async Task StoreParsingMapAsync(long imageId, byte[] sha, string path, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await db.Images.Where(i => i.Id == imageId).Select(i => i.ParsingMapKey).SingleAsync(cancellationToken) is not null) return;
        var key = ObjectKeys.ParsingMap(sha);
        await using (var file = File.OpenRead(path)) await store.PutAsync(key, file, "image/png", cancellationToken);
        await db.Images.Where(i => i.Id == imageId).ExecuteUpdateAsync(set => set.SetProperty(i => i.ParsingMapKey, key), cancellationToken);
    }

    private static IEnumerable<PendingRow> ReadRows(string path)
    {
        using var file = new ParquetFileReader(path);
        var schema = file.FileMetaData.Schema;
        int Column(string name) => schema.ColumnIndex(name) is >= 0 and var index ? index
            : throw new InvalidOperationException($"{Path.GetFileName(path)} has no '{name}' column: it is not a CosmicMan-HQ label file.");
        var (pathColumn, textColumn) = (Column("path"), Column("aa_text"));
        var (segmColumn, typeColumn) = (schema.ColumnIndex("segm_path"), schema.ColumnIndex("person_type"));
        for (var g = 0; g < file.FileMetaData.NumRowGroups; g++)
        {
            using var group = file.RowGroup(g);
            var rows = checked((int)group.MetaData.NumRows);
            string[] Strings(int column)
            {
                if (column < 0) return new string[rows];
                try
                {
                    using var reader = group.Column(column).LogicalReader<string?>();
                    return reader.ReadAll(rows)!;
                }
                catch (InvalidCastException)
                {
                    throw new InvalidOperationException($"Column '{schema.Column(column).Name}' of {Path.GetFileName(path)} is not text, as CosmicMan-HQ label files have it.");
                }
            }
            var (paths, texts, segms, types) = (Strings(pathColumn), Strings(textColumn), Strings(segmColumn), Strings(typeColumn));
            for (var i = 0; i < rows; i++) yield return new PendingRow(paths[i], texts[i] ?? "[]", segms[i], types[i]);
        }
    }

    private sealed record PendingRow(string Path, string AttributeText, string? Segmentation, string? PersonType);

    private sealed class Tally
    {
        private readonly Dictionary<(string, string), int> _unknown = [];
        private readonly List<string> _missingExamples = [];
        public int Rows;
        public int Images;
        public int Labels;
        public int MissingImages;
        public int NotIngested;

        public void Missing(string path)
        {
            MissingImages++;
            if (_missingExamples.Count < MaxReported) _missingExamples.Add(path);
        }

        public void Unknown(string attribute, string value) => _unknown[(attribute, value)] = _unknown.GetValueOrDefault((attribute, value)) + 1;

        public LabelImportReport Report() => new(Rows, Images, Labels, MissingImages, NotIngested, _missingExamples,
            _unknown.OrderByDescending(u => u.Value).Take(MaxReported).Select(u => new UnknownValue(u.Key.Item1, u.Key.Item2, u.Value)).ToList());
    }
}
