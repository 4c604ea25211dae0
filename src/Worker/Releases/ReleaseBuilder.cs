using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AnnotateAnyone.Data.Persistence;
using AnnotateAnyone.Data.Releases;
using AnnotateAnyone.Data.Storage;
using AnnotateAnyone.Data.Taxonomy;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AnnotateAnyone.Worker.Releases;

public sealed record BuiltRelease(ReleaseCounts Counts, IReadOnlyList<ReleaseFile> Files, ReleaseLineage Lineage, string ManifestKey);

/// <summary>
/// Writes a release: streams its images from PostgreSQL once, feeding every chosen format per split, uploads the
/// files under the release's folder, then the datasheet, then the manifest, last: a build that dies before the
/// manifest leaves no release, and the retry clears the unpublished folder first. A folder with a manifest is
/// never written again.
/// </summary>
public sealed class ReleaseBuilder(IDbContextFactory<AnnotateDbContext> contexts, NpgsqlDataSource dataSource, TaxonomyStore taxonomies,
    ReleaseRows rows, ReleaseAccuracy accuracy, IObjectStore store, TimeProvider clock)
{
    private const int ProgressEvery = 10_000;

    public async Task<BuiltRelease> BuildAsync(Release release, Func<long, long, Task> progress, CancellationToken cancellationToken)
    {
        var manifestKey = $"{release.Prefix}/{ReleaseManifest.FileName}";
        if (await store.StatAsync(manifestKey, cancellationToken) is not null)
            throw new InvalidOperationException($"{release.Name} {release.Version} is already published at {release.Prefix}; a published release is never overwritten.");
        await foreach (var leftover in store.ListAsync($"{release.Prefix}/", cancellationToken))
            await store.DeleteAsync(leftover.Key, cancellationToken);

        var stored = ReleaseService.SpecOf(release);
        var spec = stored with { Filter = stored.Filter with { TaxonomyVersionId = release.TaxonomyVersionId } };
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = await ReleaseQuery.ResolveAsync(db, taxonomies, spec, cancellationToken);
        var models = await db.ModelVersions.AsNoTracking().Select(m => new { m.Id, m.Number, m.Name }).ToListAsync(cancellationToken);
        var columns = new ReleaseColumns(query.Taxonomy, models.ToDictionary(m => m.Id, m => m.Number));
        var total = await CountAsync(query, cancellationToken);

        var folder = Directory.CreateTempSubdirectory($"annotate-release-{release.Id}-").FullName;
        var files = new List<ReleaseFile>();
        try
        {
            var stats = new ReleaseStatsCollector(columns);
            await using (var writers = new SplitWriters(folder, spec, columns, release.Prefix, store, files, cancellationToken))
            {
                var row = new ReleaseRow(columns);
                var done = 0L;
                await rows.ReadPipelinedAsync(query, spec.Splits, async (record, ct) =>
                {
                    stats.Add(record);
                    row.Set(record, writers.NeedImages ? await store.ReadAllBytesAsync(record.OriginalKey, ct) : null);
                    await writers.AddAsync(row);
                    if (++done % ProgressEvery == 0) await progress(done, total);
                }, cancellationToken);
                await progress(done, total);
            }

            var first = stats.Counts();
            var counts = stats.Counts(await accuracy.EstimateAsync(first, cancellationToken));
            var roundNumbers = await db.Rounds.Where(r => stats.RoundIds.Contains(r.Id)).OrderBy(r => r.Number).Select(r => r.Number).ToListAsync(cancellationToken);
            var lineage = new ReleaseLineage(roundNumbers,
                models.Where(m => stats.ModelVersionIds.Contains(m.Id)).OrderBy(m => m.Number).Select(m => new LineageModel(m.Number, m.Name)).ToList());
            var parent = release.ParentId is { } parentId
                ? await db.Releases.Where(r => r.Id == parentId).Select(r => new ManifestParent(r.Name, r.Version)).SingleAsync(cancellationToken)
                : null;
            var builtBy = release.CreatedBy is { } user ? await db.Users.Where(u => u.Id == user).Select(u => u.Email).SingleOrDefaultAsync(cancellationToken) : null;

            var datasheet = Datasheet.Write(release, query.Taxonomy.Version, spec, counts, lineage, await SourcesAsync(query, cancellationToken), parent);
            await using (var datasheetBytes = new MemoryStream(Encoding.UTF8.GetBytes(datasheet)))
                files.Add(await StoreAsync(store, release.Prefix, "DATASHEET.md", datasheetBytes, cancellationToken));

            var manifest = new ReleaseManifest(release.Name, release.Version, release.Id,
                new ManifestTaxonomy(query.Taxonomy.Version.Id, query.Taxonomy.Version.Number, query.Taxonomy.Version.Name),
                spec, counts.Images, counts.Labels, counts.ImagesPerSplit, counts.LabelsBySource, parent, builtBy, clock.GetUtcNow(), release.JobRunId,
                lineage, files.OrderBy(f => f.Path, StringComparer.Ordinal).ToList());
            await store.PutAsync(manifestKey, new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(manifest, ReleaseManifest.Json)), "application/json", cancellationToken);
            return new BuiltRelease(counts, manifest.Files, lineage, manifestKey);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Hashes a finished file (a seekable stream) and stores it under the release's folder.</summary>
    private static async Task<ReleaseFile> StoreAsync(IObjectStore store, string prefix, string path, Stream content, CancellationToken cancellationToken)
    {
        var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(content, cancellationToken));
        content.Position = 0;
        await store.PutAsync($"{prefix}/{path}", content, ReleaseContentTypes.Of(path), cancellationToken);
        return new ReleaseFile(path, content.Length, sha);
    }

    private async Task<long> CountAsync(ReleaseQuery query, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT count(*) FROM images i WHERE {query.Where}");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task<IReadOnlyDictionary<string, long>> SourcesAsync(ReleaseQuery query, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT source_kind, count(*) FROM images i WHERE {query.Where} GROUP BY 1 ORDER BY 1");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var sources = new Dictionary<string, long>();
        while (await reader.ReadAsync(cancellationToken))
            sources[((Data.Images.ImageSourceKind)reader.GetInt16(0)).ToString()] = reader.GetInt64(1);
        return sources;
    }

    /// <summary>The open files of every split and format; closing it finishes and uploads them.</summary>
    private sealed class SplitWriters : IAsyncDisposable
    {
        private readonly ReleaseSpec _spec;
        private readonly string _prefix;
        private readonly IObjectStore _store;
        private readonly List<ReleaseFile> _files;
        private readonly CancellationToken _cancellationToken;
        private readonly string _folder;
        private readonly Dictionary<Split, ParquetTable> _parquet = [];
        private readonly Dictionary<Split, JsonLinesFile> _jsonLines = [];
        private readonly Dictionary<Split, WebDatasetShards> _shards = [];
        private readonly Dictionary<Split, ParquetTable> _cosmicMan = [];
        private readonly StreamWriter? _cosmicManSums;

        public SplitWriters(string folder, ReleaseSpec spec, ReleaseColumns columns, string prefix, IObjectStore store, List<ReleaseFile> files, CancellationToken cancellationToken)
        {
            (_folder, _spec, _prefix, _store, _files, _cancellationToken) = (folder, spec, prefix, store, files, cancellationToken);
            var fields = ReleaseFieldSet.Of(columns);
            var json = new ReleaseJsonLayout(fields);
            foreach (var format in spec.Formats) Directory.CreateDirectory(Path.Combine(folder, format));
            foreach (var split in Enum.GetValues<Split>())
            {
                var name = ReleaseSplit.Name(split);
                if (Has(ReleaseFormats.Parquet)) _parquet[split] = new ParquetTable(Local(ReleaseFormats.Parquet, $"{name}.parquet"), fields, spec.EmbedImages);
                if (Has(ReleaseFormats.JsonLines)) _jsonLines[split] = new JsonLinesFile(Local(ReleaseFormats.JsonLines, $"{name}.jsonl"), json, spec.EmbedImages);
                if (Has(ReleaseFormats.WebDataset))
                    _shards[split] = new WebDatasetShards(Path.Combine(folder, ReleaseFormats.WebDataset), name, spec.ShardBytes, json,
                        FinishAsync);
                if (Has(ReleaseFormats.CosmicMan)) _cosmicMan[split] = new ParquetTable(Local(ReleaseFormats.CosmicMan, $"{name}.parquet"), CosmicManLayout.Fields(columns), false);
            }
            if (Has(ReleaseFormats.CosmicMan))
                _cosmicManSums = new StreamWriter(Local(ReleaseFormats.CosmicMan, ReleaseManifest.ChecksumListSuffix), false, new UTF8Encoding(false)) { NewLine = "\n" };
        }

        public bool NeedImages => _spec.EmbedImages || _shards.Count > 0 || _cosmicMan.Count > 0;

        public async Task AddAsync(ReleaseRow row)
        {
            var split = row.Record.Split;
            var imagePath = $"{row.Record.Key}.{row.Record.Extension}";
            _parquet.GetValueOrDefault(split)?.Add(row, imagePath);
            if (_jsonLines.TryGetValue(split, out var jsonLines)) await jsonLines.AddAsync(row, imagePath);
            if (_shards.TryGetValue(split, out var shards)) await shards.AddAsync(row);
            if (_cosmicMan.TryGetValue(split, out var cosmicMan))
            {
                cosmicMan.Add(row);
                await CopyAsync(CosmicManLayout.ImagePath(row), row.Image!);
                if (CosmicManLayout.SegmentationPath(row) is { } segm)
                {
                    await CopyAsync(segm, await _store.ReadAllBytesAsync(row.Record.ParsingMapKey!, _cancellationToken));
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var table in _parquet.Values.Concat(_cosmicMan.Values)) table.Dispose();
            foreach (var file in _jsonLines.Values) await file.DisposeAsync();
            foreach (var shards in _shards.Values) await shards.DisposeAsync();
            _cosmicManSums?.Dispose();
            foreach (var path in Directory.EnumerateFiles(_folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                await FinishAsync(path);
        }

        private bool Has(string format) => _spec.Formats.Contains(format);

        private string Local(string format, string name) => Path.Combine(_folder, format, name);

        /// <summary>Uploads a finished local file with its checksum (hashed now unless known), so the disk holds little at a time.</summary>
        private async Task FinishAsync(string path)
        {
            var sha = _jsonLines.Values.FirstOrDefault(f => f.Path == path)?.Sha256;
            if (sha is null)
                await using (var content = File.OpenRead(path))
                    sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(content, _cancellationToken));
            var name = Path.GetRelativePath(_folder, path).Replace('\\', '/');
            var size = new FileInfo(path).Length;
            await _store.PutFileAsync($"{_prefix}/{name}", path, ReleaseContentTypes.Of(name), _cancellationToken);
            _files.Add(new ReleaseFile(name, size, sha));
        }

        /// <summary>Copies an image or map into the CosmicMan-HQ folder, its checksum going to that folder's SHA256SUMS.</summary>
        private async Task CopyAsync(string path, byte[] bytes)
        {
            await _store.PutAsync($"{_prefix}/{ReleaseFormats.CosmicMan}/{path}", new MemoryStream(bytes, writable: false), ReleaseContentTypes.Of(path), _cancellationToken);
            await _cosmicManSums!.WriteLineAsync($"{Convert.ToHexStringLower(SHA256.HashData(bytes))}  {path}");
        }
    }
}
