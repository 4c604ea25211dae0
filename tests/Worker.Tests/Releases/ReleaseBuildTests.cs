using System.Text.Json;
using AnnotateAnyone.Data.Releases;
using AnnotateAnyone.Data.Storage;

namespace AnnotateAnyone.Worker.Tests.Releases;

/// <summary>Releases built on real PostgreSQL and files, read back with readers we did not write (DuckDB, tar).</summary>
public sealed class ReleaseBuildTests(ReleaseHarness harness) : IClassFixture<ReleaseHarness>
{
    private static readonly ReleaseSpec Everything = new()
    {
        Splits = new ReleaseSplits(Validation: 0.2, Test: 0.2),
        EmbedImages = true,
        ShardBytes = 1 << 16,
    };

    [Fact]
    public async Task Every_format_reads_back_in_outside_readers_with_the_labels_of_the_database()
    {
        var release = await harness.BuildAsync((await harness.DefineAsync("Readers", "1.0", Everything)).Id);

        Assert.Equal(ReleaseStatus.Published, release.Status);
        var images = await harness.ScalarAsync<long>("SELECT count(*) FROM images WHERE status = 3 AND flags = 0");
        var parquet = harness.PathOf(release, "parquet/*.parquet");
        Assert.Equal(images, Count(await OutsideReaders.DuckDbAsync($"SELECT count(*) AS n FROM read_parquet('{parquet}')")));

        // Labels and captions as the database has them.
        var rows = await OutsideReaders.DuckDbAsync($"""
            SELECT id, shot_shot_type, shot_shot_type__source, caption, octet_length(image.bytes) AS bytes, image.path AS path
            FROM read_parquet('{parquet}') ORDER BY id LIMIT 8
            """);
        foreach (var row in rows)
        {
            var id = long.Parse(row.GetProperty("id").GetString()!);
            var shot = await harness.ScalarAsync<string>($"""
                SELECT v.key FROM labels l JOIN attributes a ON a.id = l.attribute_id JOIN attribute_groups g ON g.id = a.group_id
                JOIN attribute_values v ON v.id = l.value_ids[1] WHERE l.image_id = {id} AND g.key = 'shot' AND a.key = 'shot_type'
                """);
            Assert.Equal(shot, row.GetProperty("shot_shot_type").GetString());
            Assert.Equal(id % 3 == 0 ? "ai_accepted" : "human", row.GetProperty("shot_shot_type__source").GetString());
            Assert.StartsWith(ShotPhrase(shot), row.GetProperty("caption").GetString());
            Assert.Equal(await harness.ScalarAsync<long>($"SELECT byte_size FROM images WHERE id = {id}"), long.Parse(row.GetProperty("bytes").GetString()!));
            Assert.EndsWith(".jpg", row.GetProperty("path").GetString());
        }

        // JSON Lines: the same rows and captions.
        var jsonl = harness.PathOf(release, "jsonl/*.jsonl");
        var lines = await OutsideReaders.DuckDbAsync($"SELECT id, caption FROM read_json_auto('{jsonl}') ORDER BY id LIMIT 8");
        Assert.Equal(rows.Select(r => r.GetProperty("caption").GetString()), lines.Select(l => l.GetProperty("caption").GetString()));
        Assert.Equal(images, Count(await OutsideReaders.DuckDbAsync($"SELECT count(*) AS n FROM read_json_auto('{jsonl}')")));

        // WebDataset: an image, its JSON and its caption per sample, in shards of the configured size.
        var shards = Directory.GetFiles(harness.PathOf(release, "webdataset"), "*.tar");
        Assert.Contains(shards, s => Path.GetFileName(s) == "train-000001.tar");
        var entries = new List<string>();
        foreach (var shard in shards) entries.AddRange(await OutsideReaders.TarEntriesAsync(shard));
        Assert.Equal(3 * images, entries.Count);
        var sample = Path.GetFileNameWithoutExtension(rows[0].GetProperty("path").GetString());
        Assert.Contains($"{sample}.jpg", entries);
        Assert.Contains($"{sample}.txt", entries);
        Assert.Contains($"{sample}.json", entries);

        // The CosmicMan-HQ layout: its columns, with files where its paths point (people the generator drew unusable have no
        // labels, so no person type).
        var cosmicman = await OutsideReaders.DuckDbAsync($"""
            SELECT path, segm_path, person_type, json_array_length(aa_text) AS groups, json_array_length(aa_ids) AS ids, text
            FROM read_parquet('{harness.PathOf(release, "cosmicman/*.parquet")}') WHERE person_type IS NOT NULL LIMIT 5
            """);
        Assert.Equal(5, cosmicman.Length);
        var taxonomyGroups = await harness.ScalarAsync<long>("SELECT count(*) FROM attribute_groups g JOIN taxonomy_versions t ON t.id = g.taxonomy_version_id WHERE t.is_active");
        foreach (var row in cosmicman)
        {
            Assert.True(File.Exists(harness.PathOf(release, $"cosmicman/{row.GetProperty("path").GetString()}")));
            Assert.True(File.Exists(harness.PathOf(release, $"cosmicman/{row.GetProperty("segm_path").GetString()}")));
            Assert.Contains(row.GetProperty("person_type").GetString(), new[] { "full_body", "nearly_full_body", "upper_body", "portrait", "headshot" });
            Assert.Equal(taxonomyGroups - 1, long.Parse(row.GetProperty("groups").GetString() ?? row.GetProperty("groups").GetRawText()));
        }

        // The manifest lists every file with its checksum, and they check out.
        var manifest = JsonSerializer.Deserialize<ReleaseManifest>(await File.ReadAllTextAsync(harness.PathOf(release, "manifest.json")), ReleaseManifest.Json)!;
        Assert.Equal(images, manifest.Images);
        Assert.Contains(manifest.Files, f => f.Path == "DATASHEET.md");
        Assert.Contains("Estimated accuracy per attribute", await File.ReadAllTextAsync(harness.PathOf(release, "DATASHEET.md")));
        var report = await new ReleaseVerifier(harness.Store).VerifyAsync(release.Prefix);
        Assert.True(report.Intact, string.Join("; ", report.Problems));
        Assert.True(report.FilesChecked > manifest.Files.Count, "the CosmicMan-HQ images listed in SHA256SUMS were not checked");
    }

    [Fact]
    public async Task A_second_build_of_the_same_filter_writes_the_same_bytes()
    {
        var spec = Everything with { Formats = [ReleaseFormats.Parquet, ReleaseFormats.JsonLines, ReleaseFormats.WebDataset] };
        var first = await harness.BuildAsync((await harness.DefineAsync("Twice", "1.0", spec)).Id);
        var second = await harness.BuildAsync((await harness.DefineAsync("Twice", "1.1", spec)).Id);

        foreach (var file in new[] { "parquet/train.parquet", "parquet/test.parquet", "jsonl/train.jsonl", "webdataset/train-000000.tar" })
            Assert.Equal(await File.ReadAllBytesAsync(harness.PathOf(first, file)), await File.ReadAllBytesAsync(harness.PathOf(second, file)));
    }

    [Fact]
    public async Task Images_keep_their_split_when_later_releases_add_images()
    {
        var spec = new ReleaseSpec { Formats = [ReleaseFormats.Parquet], Splits = new ReleaseSplits(0.2, 0.2) };
        var before = await harness.BuildAsync((await harness.DefineAsync("Stable", "1.0", spec)).Id);
        await harness.AddPeopleAsync(12, seed: 77);
        var after = await harness.BuildAsync((await harness.DefineAsync("Stable", "2.0", spec)).Id);

        var splitsBefore = await SplitsAsync(before);
        var splitsAfter = await SplitsAsync(after);
        Assert.True(splitsAfter.Count > splitsBefore.Count);
        Assert.All(splitsBefore, s => Assert.Equal(s.Value, splitsAfter[s.Key]));
        Assert.Equal(3, splitsAfter.Values.Distinct().Count());
    }

    [Fact]
    public async Task A_build_that_dies_before_its_manifest_leaves_no_release_and_its_retry_publishes()
    {
        var release = await harness.DefineAsync("Interrupted", "1.0", Everything);

        var died = await harness.BuildAsync(release.Id, FailingStore(harness.Store, key => key.EndsWith("/manifest.json")));

        Assert.Equal(ReleaseStatus.Failed, died.Status);
        Assert.Contains("the store went away", died.Error);
        Assert.False((await new ReleaseVerifier(harness.Store).VerifyAsync(release.Prefix)).Intact);

        var retried = await harness.BuildAsync(release.Id);

        Assert.Equal(ReleaseStatus.Published, retried.Status);
        Assert.True((await new ReleaseVerifier(harness.Store).VerifyAsync(release.Prefix)).Intact);
        var manifest = JsonSerializer.Deserialize<ReleaseManifest>(await File.ReadAllTextAsync(harness.PathOf(retried, "manifest.json")), ReleaseManifest.Json)!;
        var listed = manifest.Files.Select(f => f.Path).Append("manifest.json").ToHashSet();
        var leftovers = Directory.GetFiles(harness.PathOf(retried, ""), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(harness.PathOf(retried, ""), f)).Where(f => !f.StartsWith("cosmicman/images/") && !f.StartsWith("cosmicman/segm/"));
        Assert.All(leftovers, f => Assert.Contains(f, listed));
    }

    /// <summary>The run goes back to the queue and builds again: the release is not offered as failed meanwhile.</summary>
    [Fact]
    public async Task A_build_its_worker_stops_stays_building_until_its_run_resumes()
    {
        var release = await harness.DefineAsync("Stopped", "1.0", Everything);
        using var shutdown = new CancellationTokenSource();
        var stopping = new InterceptingStore(harness.Store, beforePut: key =>
        {
            if (!key.EndsWith("/manifest.json")) return;
            shutdown.Cancel();
            shutdown.Token.ThrowIfCancellationRequested();
        });

        var stopped = await harness.BuildAsync(release.Id, stopping, shutdown.Token);
        var resumed = await harness.BuildAsync(release.Id);

        Assert.Equal((ReleaseStatus.Building, null), (stopped.Status, stopped.Error));
        Assert.Equal(ReleaseStatus.Published, resumed.Status);
    }

    [Fact]
    public async Task A_published_release_is_never_rebuilt_and_a_changed_file_is_caught()
    {
        var release = await harness.BuildAsync((await harness.DefineAsync("Sealed", "1.0", new ReleaseSpec { Formats = [ReleaseFormats.JsonLines] })).Id);
        var manifest = await File.ReadAllBytesAsync(harness.PathOf(release, "manifest.json"));

        var again = await harness.BuildAsync(release.Id);

        Assert.Equal(ReleaseStatus.Published, again.Status);
        Assert.Equal(manifest, await File.ReadAllBytesAsync(harness.PathOf(release, "manifest.json")));

        await File.AppendAllTextAsync(harness.PathOf(release, "jsonl/train.jsonl"), "{}\n");
        var report = await harness.VerifyAsync(release.Id);
        var problem = Assert.Single(report.Problems);
        Assert.Equal("jsonl/train.jsonl", problem.Path);
        Assert.StartsWith("changed", problem.Problem);
    }

    [Fact]
    public async Task Verifying_a_release_that_is_not_published_fails_with_its_reason()
    {
        var release = await harness.DefineAsync("Unbuilt", "1.0", new ReleaseSpec { Formats = [ReleaseFormats.JsonLines] });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => harness.VerifyAsync(release.Id));

        Assert.Equal("Unbuilt 1.0 is not published; only published releases can be verified.", error.Message);
    }

    [Fact]
    public async Task A_filter_that_selects_nothing_publishes_empty_files_readers_still_open()
    {
        var release = await harness.BuildAsync((await harness.DefineAsync("Empty", "1.0",
            new ReleaseSpec { Filter = new ReleaseFilter { MinWidth = 5000 }, Formats = [ReleaseFormats.Parquet, ReleaseFormats.WebDataset] })).Id);

        Assert.Equal(ReleaseStatus.Published, release.Status);
        Assert.Equal(0, Count(await OutsideReaders.DuckDbAsync($"SELECT count(*) AS n FROM read_parquet('{harness.PathOf(release, "parquet/*.parquet")}')")));
        Assert.Empty(await OutsideReaders.TarEntriesAsync(harness.PathOf(release, "webdataset/train-000000.tar")));
    }

    [Fact]
    public async Task A_comparison_finds_the_images_added_and_removed_and_the_labels_changed()
    {
        var spec = new ReleaseSpec { Formats = [ReleaseFormats.Parquet] };
        var before = await harness.BuildAsync((await harness.DefineAsync("Compared", "1.0", spec)).Id);
        var removed = await harness.ScalarAsync<long>("SELECT min(id) FROM images WHERE status = 3 AND flags = 0");
        var changed = await harness.ScalarAsync<long>("SELECT max(id) FROM images WHERE status = 3 AND flags = 0");
        await using (var edit = harness.DataSource.CreateCommand($"""
            UPDATE images SET flags = 2 WHERE id = {removed};
            UPDATE labels l SET value_ids = ARRAY[(SELECT v.id FROM attribute_values v WHERE v.attribute_id = l.attribute_id AND v.id <> ALL (l.value_ids) ORDER BY v.id LIMIT 1)]
            FROM attributes a JOIN attribute_groups g ON g.id = a.group_id
            WHERE a.id = l.attribute_id AND g.key = 'shot' AND a.key = 'shot_type' AND l.image_id = {changed};
            """))
            await edit.ExecuteNonQueryAsync();
        await harness.AddPeopleAsync(5, seed: 123);
        var after = await harness.BuildAsync((await harness.DefineAsync("Compared", "1.1", spec)).Id);

        var diff = await harness.DiffAsync(before.Id, after.Id);

        Assert.Equal(1, diff.Removed);
        Assert.Equal(5, diff.Added);
        Assert.Equal(diff.ImagesBefore - 1 + 5, diff.ImagesAfter);
        var shot = Assert.Single(diff.Attributes, a => a.Attribute == "shot_shot_type");
        Assert.Equal(1, shot.Changed);
        Assert.NotEqual(shot.Examples[0].Before, shot.Examples[0].After);
        Assert.All(diff.Attributes.Where(a => a.Attribute != "shot_shot_type"), a => Assert.Equal(0, a.Changed));
    }

    private async Task<Dictionary<string, string>> SplitsAsync(Release release) =>
        (await OutsideReaders.DuckDbAsync($"""
            SELECT sha256, regexp_extract(filename, '([a-z]+)\.parquet$', 1) AS split
            FROM read_parquet('{harness.PathOf(release, "parquet/*.parquet")}', filename = true)
            """)).ToDictionary(r => r.GetProperty("sha256").GetString()!, r => r.GetProperty("split").GetString()!);

    private static long Count(JsonElement[] rows) =>
        rows[0].GetProperty("n") is { ValueKind: JsonValueKind.String } s ? long.Parse(s.GetString()!) : rows[0].GetProperty("n").GetInt64();

    private static string ShotPhrase(string shot) => shot switch
    {
        "full_body" => "a full-body shot",
        "nearly_full_body" => "a nearly full-body shot",
        "upper_body" => "an upper-body shot",
        "portrait" => "a close-up portrait",
        _ => "a headshot",
    };

    /// <summary>An object store that fails on the keys it is told to, as a store going away mid-build would.</summary>
    private static InterceptingStore FailingStore(IObjectStore inner, Func<string, bool> failOn) =>
        new(inner, beforePut: key => { if (failOn(key)) throw new StorageUnavailableException("the store went away"); });
}
