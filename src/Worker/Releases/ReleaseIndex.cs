using AnnotateAnyone.Data.Releases;
using AnnotateAnyone.Data.Storage;
using ParquetSharp;

namespace AnnotateAnyone.Worker.Releases;

/// <summary>One image of a release as the diff sees it: identity, split, and its attribute values as written.</summary>
/// <param name="Values">Attribute column → value key (multiple values joined with "|").</param>
/// <param name="Texts">Caption and parsing-map columns, when the index was opened with them.</param>
internal sealed record IndexedImage(long Id, string Sha256, string Split, IReadOnlyDictionary<string, string?> Values, IReadOnlyDictionary<string, string?> Texts);

/// <summary>
/// Reads a published release's Parquet files back, all splits merged in image id order (each split's file is
/// written in id order), row group by row group: memory holds one row group per split, whatever the release's size.
/// </summary>
internal sealed class ReleaseIndex : IAsyncDisposable
{
    private readonly string _folder;
    private readonly List<SplitReader> _splits = [];

    private ReleaseIndex(string folder) => _folder = folder;

    /// <param name="withTexts">Also read the caption columns (caption, caption_{group}) and parsing_map_key (Daring trains from them).</param>
    public static async Task<ReleaseIndex> OpenAsync(IObjectStore store, Release release, IReadOnlyList<ReleaseFile> files, CancellationToken cancellationToken,
        bool withTexts = false)
    {
        var parquet = files.Where(f => f.Path.StartsWith($"{ReleaseFormats.Parquet}/", StringComparison.Ordinal)).ToList();
        if (parquet.Count == 0)
            throw new InvalidOperationException($"{release.Name} {release.Version} has no Parquet files, which this job reads; rebuild it with the Parquet format.");
        var index = new ReleaseIndex(Directory.CreateTempSubdirectory($"annotate-diff-{release.Id}-").FullName);
        foreach (var file in parquet)
        {
            var local = Path.Combine(index._folder, Path.GetFileName(file.Path));
            await using (var source = await store.OpenReadAsync($"{release.Prefix}/{file.Path}", cancellationToken))
            await using (var target = File.Create(local))
                await source.CopyToAsync(target, cancellationToken);
            index._splits.Add(new SplitReader(local, Path.GetFileNameWithoutExtension(file.Path), withTexts));
        }
        return index;
    }

    /// <summary>The attribute columns this release has (without provenance).</summary>
    public IReadOnlyList<string> Attributes => _splits[0].Attributes;

    public IEnumerable<IndexedImage> Images()
    {
        var heads = _splits.Select(s => s.Next()).ToArray();
        while (true)
        {
            var next = -1;
            for (var i = 0; i < heads.Length; i++)
                if (heads[i] is { } head && (next < 0 || head.Id < heads[next]!.Id)) next = i;
            if (next < 0) yield break;
            yield return heads[next]!;
            heads[next] = _splits[next].Next();
        }
    }

    public ValueTask DisposeAsync()
    {
        foreach (var split in _splits) split.Dispose();
        Directory.Delete(_folder, recursive: true);
        return ValueTask.CompletedTask;
    }

    private sealed class SplitReader : IDisposable
    {
        private readonly ParquetFileReader _file;
        private readonly string _split;
        private readonly List<(string Name, int Index, bool Multiple)> _columns = [];
        private readonly List<(string Name, int Index)> _texts = [];
        private readonly int _id;
        private readonly int _sha;
        private int _rowGroup = -1;
        private int _row;
        private long[] _ids = [];
        private string[] _shas = [];
        private string?[][] _values = [];
        private string?[][] _textValues = [];

        public SplitReader(string path, string split, bool withTexts)
        {
            _file = new ParquetFileReader(path);
            _split = split;
            var schema = _file.FileMetaData.Schema;
            _id = schema.ColumnIndex("id");
            _sha = schema.ColumnIndex("sha256");
            var names = Enumerable.Range(0, schema.NumColumns).Select(i => schema.Column(i).Path.ToDotString()).ToList();
            var provenance = names.Where(n => n.EndsWith("__source", StringComparison.Ordinal)).Select(n => n[..^"__source".Length]).ToHashSet();
            foreach (var name in provenance.Order(StringComparer.Ordinal))
            {
                // A multiple-choice column is a list: its leaf is "name.list.element" (or similar), not "name".
                var index = names.IndexOf(name);
                var multiple = index < 0;
                if (multiple) index = names.FindIndex(n => n.StartsWith($"{name}.", StringComparison.Ordinal));
                _columns.Add((name, index, multiple));
            }
            if (withTexts)
                _texts.AddRange(names.Select((n, i) => (n, i)).Where(c => c.n == "parsing_map_key" || c.n.StartsWith("caption", StringComparison.Ordinal)));
        }

        public IReadOnlyList<string> Attributes => _columns.Select(c => c.Name).ToList();

        public IndexedImage? Next()
        {
            while (_row >= _ids.Length)
            {
                if (++_rowGroup >= _file.FileMetaData.NumRowGroups) return null;
                Load();
            }
            var values = new Dictionary<string, string?>(_columns.Count);
            for (var c = 0; c < _columns.Count; c++) values[_columns[c].Name] = _values[c][_row];
            var texts = new Dictionary<string, string?>(_texts.Count);
            for (var c = 0; c < _texts.Count; c++) texts[_texts[c].Name] = _textValues[c][_row];
            var image = new IndexedImage(_ids[_row], _shas[_row], _split, values, texts);
            _row++;
            return image;
        }

        private void Load()
        {
            using var group = _file.RowGroup(_rowGroup);
            var rows = checked((int)group.MetaData.NumRows);
            using (var ids = group.Column(_id).LogicalReader<long>()) _ids = ids.ReadAll(rows);
            using (var shas = group.Column(_sha).LogicalReader<string>()) _shas = shas.ReadAll(rows);
            _values = new string?[_columns.Count][];
            for (var c = 0; c < _columns.Count; c++)
            {
                if (_columns[c].Multiple)
                {
                    using var reader = group.Column(_columns[c].Index).LogicalReader<string[]?>();
                    _values[c] = reader.ReadAll(rows).Select(v => v is null ? null : string.Join("|", v)).ToArray();
                }
                else
                {
                    using var reader = group.Column(_columns[c].Index).LogicalReader<string?>();
                    _values[c] = reader.ReadAll(rows);
                }
            }
            _textValues = new string?[_texts.Count][];
            for (var c = 0; c < _texts.Count; c++)
            {
                using var reader = group.Column(_texts[c].Index).LogicalReader<string?>();
                _textValues[c] = reader.ReadAll(rows);
            }
            _row = 0;
        }

        public void Dispose() => _file.Dispose();
    }
}
