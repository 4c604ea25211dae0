namespace AnnotateAnyone.Worker.Ingest.Sources;

/// <summary>
/// Names in ordinal order without holding them all: a folder of CosmicMan's six million pictures is half a gigabyte of
/// names. Up to a run's length of names sort in memory; beyond that each run of them is sorted and spilled to a
/// temporary file, and the runs are merged as they are read back. The files are removed when the listing ends or is
/// abandoned.
/// </summary>
internal static class SortedNames
{
    /// <summary>Names held at once: about 50 MB of paths 80 characters long.</summary>
    public const int DefaultRunLength = 1 << 18;

    public static IEnumerable<string> Sort(IEnumerable<string> names, int runLength = DefaultRunLength)
    {
        var runs = new List<string>();
        try
        {
            var run = new List<string>();
            foreach (var name in names)
            {
                run.Add(name);
                if (run.Count < runLength) continue;
                runs.Add(Spill(run));
                run.Clear();
            }
            run.Sort(StringComparer.Ordinal);
            if (runs.Count == 0)
            {
                foreach (var name in run) yield return name;
                yield break;
            }
            if (run.Count > 0) runs.Add(Spill(run));
            foreach (var name in Merge(runs)) yield return name;
        }
        finally
        {
            foreach (var file in runs) File.Delete(file);
        }
    }

    private static string Spill(List<string> run)
    {
        run.Sort(StringComparer.Ordinal);
        var path = Path.Combine(Path.GetTempPath(), $"annotate-names-{Guid.NewGuid():N}.run");
        // Length-prefixed, since a file name may hold any character but '/' and NUL, line breaks included.
        using var writer = new BinaryWriter(new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16));
        foreach (var name in run) writer.Write(name);
        return path;
    }

    private static IEnumerable<string> Merge(List<string> runs)
    {
        var readers = runs.Select(path => new BinaryReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))).ToList();
        try
        {
            var next = new PriorityQueue<int, string>(StringComparer.Ordinal);
            for (var i = 0; i < readers.Count; i++) TakeNext(readers, i, next);
            while (next.TryDequeue(out var i, out var name))
            {
                yield return name;
                TakeNext(readers, i, next);
            }
        }
        finally
        {
            foreach (var reader in readers) reader.Dispose();
        }
    }

    private static void TakeNext(List<BinaryReader> readers, int run, PriorityQueue<int, string> next)
    {
        if (readers[run].BaseStream.Position < readers[run].BaseStream.Length) next.Enqueue(run, readers[run].ReadString());
    }
}
