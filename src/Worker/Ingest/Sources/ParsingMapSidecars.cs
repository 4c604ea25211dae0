using System.Runtime.CompilerServices;

namespace AnnotateAnyone.Worker.Ingest.Sources;

/// <summary>
/// Pairs each file of a listing with the human-parsing map beside it (<c>photo.parsing.png</c> next to
/// <c>photo.jpg</c>, as generate-people and CosmicMan-HQ lay them out), in one pass and without holding the listing:
/// in a listing sorted by name, every name that starts with "photo." comes in one run, so a file waits for its map
/// only while that run lasts. A map whose file is missing is a file like any other.
/// </summary>
/// <typeparam name="T">A listed item: a path, or a stored object.</typeparam>
public sealed class ParsingMapSidecars<T> where T : class
{
    public const string Suffix = ".parsing.png";

    private readonly Func<T, string> _nameOf;

    private ParsingMapSidecars(Func<T, string> nameOf) => _nameOf = nameOf;

    /// <summary>The listing's files, each with its map or none; <paramref name="listing"/> must be in ordinal name order.</summary>
    public static IEnumerable<(T File, T? Map)> Pair(IEnumerable<T> listing, Func<T, string> nameOf)
    {
        var sidecars = new ParsingMapSidecars<T>(nameOf);
        foreach (var item in listing)
            foreach (var pair in sidecars.Add(item)) yield return pair;
        foreach (var pair in sidecars.Complete()) yield return pair;
    }

    /// <inheritdoc cref="Pair"/>
    public static async IAsyncEnumerable<(T File, T? Map)> PairAsync(IAsyncEnumerable<T> listing, Func<T, string> nameOf,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var sidecars = new ParsingMapSidecars<T>(nameOf);
        await foreach (var item in listing.WithCancellation(cancellationToken))
            foreach (var pair in sidecars.Add(item)) yield return pair;
        foreach (var pair in sidecars.Complete()) yield return pair;
    }

    /// <summary>Files (or maps) seen whose run of names has not ended, outermost first.</summary>
    private readonly List<Waiting> _waiting = [];

    /// <summary>The next item of the listing; returns the files it settles, each with its map or none.</summary>
    private List<(T File, T? Map)> Add(T item)
    {
        var name = _nameOf(item);
        var settled = new List<(T, T?)>();
        while (_waiting.Count > 0 && !name.StartsWith(_waiting[^1].Stem + ".", StringComparison.Ordinal))
        {
            settled.Add(_waiting[^1].Alone());
            _waiting.RemoveAt(_waiting.Count - 1);
        }

        var isMap = name.EndsWith(Suffix, StringComparison.Ordinal);
        var stem = isMap ? name[..^Suffix.Length] : Stem(name);
        // A map looks for a waiting file of its stem; a file for a waiting map.
        var partner = _waiting.FindIndex(w => w.Stem == stem && (isMap ? w.File is not null : w.Map is not null));
        if (partner < 0)
        {
            _waiting.Add(isMap ? new Waiting(stem, null, item) : new Waiting(stem, item, null));
            return settled;
        }
        settled.Add(isMap ? (_waiting[partner].File!, item) : (item, _waiting[partner].Map));
        _waiting.RemoveAt(partner);
        return settled;
    }

    /// <summary>The end of the listing: every file still waiting, without a map.</summary>
    private List<(T File, T? Map)> Complete()
    {
        var rest = _waiting.AsEnumerable().Reverse().Select(w => w.Alone()).ToList();
        _waiting.Clear();
        return rest;
    }

    /// <summary>The name without its last extension, folders kept: "a/photo.jpg" is "a/photo".</summary>
    private static string Stem(string name)
    {
        var dot = name.LastIndexOf('.');
        return dot > name.LastIndexOf('/') + 1 ? name[..dot] : name;
    }

    private sealed record Waiting(string Stem, T? File, T? Map)
    {
        /// <summary>A file whose map never came, or a map whose file never came (then a file itself).</summary>
        public (T, T?) Alone() => File is not null ? (File, null) : (Map!, null);
    }
}
