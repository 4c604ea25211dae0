using AnnotateAnyone.Worker.Ingest.Sources;

namespace AnnotateAnyone.Worker.Tests.Ingest;

public sealed class FolderCandidatesTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("folder-candidates-").FullName;
    private readonly string _elsewhere = Directory.CreateTempSubdirectory("folder-candidates-shard-").FullName;

    private void Write(string folder, params string[] names)
    {
        foreach (var name in names)
        {
            var path = Path.Combine(folder, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, name);
        }
    }

    /// <summary>The candidates' names in listing order, with the parsing map a file brings, as " + map".</summary>
    private async Task<List<string>> ListAsync()
    {
        var names = new List<string>();
        await foreach (var candidate in new FolderCandidates(_root).ListAsync(CancellationToken.None))
        {
            var content = await candidate.FetchAsync(CancellationToken.None);
            await content.Stream.DisposeAsync();
            names.Add(content.OpenSidecarParsingMap is null ? candidate.Name : $"{candidate.Name} + map");
        }
        Assert.Equal(names.Count, await new FolderCandidates(_root).CountAsync(CancellationToken.None));
        return names;
    }

    [Fact]
    public async Task A_folder_tree_is_listed_folder_by_folder_each_in_name_order_without_hidden_files_or_folders()
    {
        Write(_root, "b.jpg", "a.jpg", "a.parsing.png", ".DS_Store", "sub-x/d.jpg", "sub/c.jpg", "sub/deeper/e.jpg", ".cache/f.jpg");

        Assert.Equal(["a.jpg + map", "b.jpg", "sub/c.jpg", "sub/deeper/e.jpg", "sub-x/d.jpg"], await ListAsync());
    }

    [Fact]
    public async Task The_caption_and_metadata_files_beside_pictures_are_passed_over()
    {
        // img2dataset's layout, with a parsing map and a generator's truth file.
        Write(_root, "00000.jpg", "00000.json", "00000.TXT", "00000.parsing.png", "00001.webp", "00001.json", "_stats.json", "shard.parquet", "truth.jsonl",
            "README.md", "labels.csv");

        Assert.Equal(["00000.jpg + map", "00001.webp"], await ListAsync());
    }

    [Fact]
    public async Task A_linked_folder_is_followed_and_a_link_back_up_the_tree_does_not_loop()
    {
        Write(_root, "a.jpg", "sub/b.jpg");
        Write(_elsewhere, "shard.jpg");
        Directory.CreateSymbolicLink(Path.Combine(_root, "linked-shard"), _elsewhere);
        Directory.CreateSymbolicLink(Path.Combine(_root, "sub", "up"), _root);

        Assert.Equal(["a.jpg", "linked-shard/shard.jpg", "sub/b.jpg"], await ListAsync());
    }

    [Fact]
    public async Task A_subfolder_removed_during_the_walk_is_passed_over_and_the_rest_is_listed()
    {
        Write(_root, "a.jpg", "b/1.jpg", "gone/2.jpg", "kept/3.jpg");
        var names = new List<string>();

        // Pairing files with their maps reads one name ahead: when "a.jpg" comes, "b" is being walked and "gone" not yet.
        await foreach (var candidate in new FolderCandidates(_root).ListAsync(CancellationToken.None))
        {
            names.Add(candidate.Name);
            if (candidate.Name == "a.jpg") Directory.Delete(Path.Combine(_root, "gone"), recursive: true);
        }

        Assert.Equal(["a.jpg", "b/1.jpg", "kept/3.jpg"], names);
    }

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        Directory.Delete(_elsewhere, recursive: true);
    }
}
