using AnnotateAnyone.Data.Releases;

namespace AnnotateAnyone.Worker.Tests.Releases;

/// <summary>CosmicMan-HQ label files in, the same labels out (a class of its own: it rewrites every label of its database).</summary>
public sealed class LabelImportTests(ReleaseHarness harness) : IClassFixture<ReleaseHarness>
{
    private static readonly ReleaseSpec CosmicManOnly = new() { Formats = [ReleaseFormats.CosmicMan] };
    private static readonly string[] Splits = ["train.parquet", "validation.parquet", "test.parquet"];

    [Fact]
    public async Task Imported_cosmicman_labels_export_back_as_the_same_labels()
    {
        var exported = await harness.BuildAsync((await harness.DefineAsync("Exported", "1.0", CosmicManOnly)).Id);
        var labels = await harness.ScalarAsync<long>("SELECT count(*) FROM labels");
        await using (var wipe = harness.DataSource.CreateCommand("DELETE FROM labels")) await wipe.ExecuteNonQueryAsync();

        var report = await harness.ImportAsync(new ImportLabelsParameters(harness.PathOf(exported, "cosmicman"), Splits));

        Assert.Equal(exported.Counts!.RootElement.GetProperty("images").GetInt64(), report.Images);
        Assert.Equal(0, report.MissingImages);
        Assert.Empty(report.UnknownValues);
        Assert.Equal(labels, await harness.ScalarAsync<long>("SELECT count(*) FROM labels"));
        Assert.Equal(labels, await harness.ScalarAsync<long>("SELECT count(*) FROM labels WHERE source = 4"));

        var reimported = await harness.BuildAsync((await harness.DefineAsync("Exported", "1.1", CosmicManOnly)).Id);
        const string columns = "path, segm_path, height, width, aa_text, aa_ids, person_type, text";
        var before = await OutsideReaders.DuckDbAsync($"SELECT {columns} FROM read_parquet('{harness.PathOf(exported, "cosmicman/*.parquet")}') ORDER BY path");
        var after = await OutsideReaders.DuckDbAsync($"SELECT {columns} FROM read_parquet('{harness.PathOf(reimported, "cosmicman/*.parquet")}') ORDER BY path");
        Assert.Equal(before.Select(r => r.GetRawText()), after.Select(r => r.GetRawText()));
    }

    [Fact]
    public async Task Values_outside_the_vocabulary_are_reported_and_images_not_ingested_are_counted()
    {
        var exported = await harness.BuildAsync((await harness.DefineAsync("Odd", "1.0", CosmicManOnly)).Id);
        var folder = harness.PathOf(exported, "cosmicman");
        // A label file of our own making, with a hair colour the taxonomy lacks and an image the platform never ingested.
        var odd = Path.Combine(folder, "odd.parquet");
        var stranger = Path.Combine(folder, "images", "stranger.jpg");
        await File.WriteAllBytesAsync(stranger, TestImages.Jpeg(300, 300, seed: 99));
        var first = (await OutsideReaders.DuckDbAsync($"SELECT path FROM read_parquet('{folder}/train.parquet') LIMIT 1"))[0].GetProperty("path").GetString();
        await OutsideReaders.DuckDbAsync($"""
            COPY (SELECT '{first}' AS path, NULL::VARCHAR AS segm_path, 300 AS height, 300 AS width,
                         '[null, null, null, null, {"{"}"color": "ultraviolet"{"}"}]' AS aa_text, NULL::VARCHAR AS aa_ids, 'headshot' AS person_type
                  UNION ALL SELECT 'images/stranger.jpg', NULL, 300, 300, '[]', NULL, 'portrait'
                  UNION ALL SELECT 'images/absent.jpg', NULL, 300, 300, '[]', NULL, 'portrait')
            TO '{odd}' (FORMAT PARQUET)
            """);

        var report = await harness.ImportAsync(new ImportLabelsParameters(folder, ["odd.parquet"]));

        Assert.Equal(3, report.Rows);
        Assert.Equal(1, report.Images);
        Assert.Equal(1, report.NotIngested);
        Assert.Equal(1, report.MissingImages);
        Assert.Equal("images/absent.jpg", Assert.Single(report.MissingExamples));
        var unknown = Assert.Single(report.UnknownValues);
        Assert.Equal("ultraviolet", unknown.Value);
    }

    [Fact]
    public async Task A_folder_missing_on_the_worker_fails_the_import_naming_it_and_the_machine()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => harness.ImportAsync(new ImportLabelsParameters("/no/such/cosmicman-hq", ["train.parquet"])));

        Assert.Equal($"The folder '/no/such/cosmicman-hq' does not exist on Worker machine {Environment.MachineName}.", error.Message);
    }

    [Fact]
    public async Task A_file_named_as_the_folder_fails_the_import_asking_for_the_folder()
    {
        var file = Path.GetTempFileName();
        try
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => harness.ImportAsync(new ImportLabelsParameters(file, ["train.parquet"])));

            Assert.Equal($"'{file}' is a file on Worker machine {Environment.MachineName}, not a folder: name the folder that holds the label files and the pictures.", error.Message);
        }
        finally { File.Delete(file); }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_picture_listed_twice_takes_the_later_rows_labels(bool asProposals)
    {
        var exported = await harness.BuildAsync((await harness.DefineAsync("Twice", asProposals ? "2.0" : "1.0", CosmicManOnly)).Id);
        var folder = harness.PathOf(exported, "cosmicman");
        var twice = Path.Combine(folder, "twice.parquet");
        var first = (await OutsideReaders.DuckDbAsync($"SELECT path FROM read_parquet('{folder}/train.parquet') LIMIT 1"))[0].GetProperty("path").GetString();
        await OutsideReaders.DuckDbAsync($"""
            COPY (SELECT '{first}' AS path, NULL::VARCHAR AS segm_path, 300 AS height, 300 AS width, '[]' AS aa_text, NULL::VARCHAR AS aa_ids, 'headshot' AS person_type
                  UNION ALL SELECT '{first}', NULL, 300, 300, '[]', NULL, 'portrait')
            TO '{twice}' (FORMAT PARQUET)
            """);
        var sha = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(folder, first!))));

        var report = await harness.ImportAsync(new ImportLabelsParameters(folder, ["twice.parquet"], asProposals));

        Assert.Equal((2, 1), (report.Rows, report.Labels));
        var table = asProposals ? "label_proposals" : "labels";
        var written = await harness.ScalarAsync<string>($"""
            SELECT string_agg(v.key, ',') FROM {table} l JOIN images i ON i.id = l.image_id JOIN attributes a ON a.id = l.attribute_id
            JOIN attribute_values v ON v.id = l.value_ids[1]
            WHERE i.sha256 = decode('{sha}', 'hex') AND a.key = 'shot_type' AND {(asProposals ? "l.confidence = 1" : "l.source = 4")}
            """);
        Assert.Equal("portrait", written);
    }
}
