using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Ingest;
using AnnotateAnyone.Data.Storage;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AnnotateAnyone.Worker.Tests.Ingest;

public sealed class IngestJobTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly IngestOptions Options = new() { MaxFileBytes = 2 * 1024 * 1024, Parallelism = 2 };

    private static (string Name, byte[] Bytes)[] GoodFiles(int seed) =>
    [
        ("good-1.jpg", TestImages.Jpeg(640, 480, seed)),
        ("good-2.png", TestImages.Png(512, 400, seed + 1)),
        ("good-3.webp", TestImages.Webp(500, 420, seed + 2)),
    ];

    [Fact]
    public async Task A_mixed_folder_gets_its_good_files_in_and_each_hostile_file_refused_with_its_reason()
    {
        var hostile = TestImages.Hostile(Options.MaxFileBytes);
        var harness = new IngestHarness(database, Options);
        var folder = IngestHarness.Folder([.. GoodFiles(1000), .. hostile.Select(h => (h.Name, h.Bytes))]);

        var run = await harness.RunAsync(new FolderSource(folder));

        Assert.Equal((10, 10, 3, 7, 0), (run.Total, run.Processed, run.Accepted, run.Rejected, run.Duplicates));
        Assert.Equal((1f, "10 of 10 files"), (harness.LastJob!.Progress, harness.LastJob.ProgressMessage));
        var items = await harness.ItemsAsync(run.Id);
        foreach (var (name, _, reason) in hostile)
        {
            var item = items.Single(i => i.Name == name);
            Assert.True(item.Reason == reason, $"{name}: expected {reason}, got {item.Reason} ({item.Detail})");
            Assert.False(string.IsNullOrWhiteSpace(item.Detail));
        }
        var images = await harness.ImagesAsync(run.Id);
        Assert.Equal(3, images.Count);
        foreach (var image in images)
        {
            Assert.Equal(ImageStatus.Ingested, image.Status);
            Assert.NotNull(await harness.Store.StatAsync(image.OriginalKey));
            Assert.NotNull(await harness.Store.StatAsync(image.ThumbnailKey!));
        }
        // Refused files are kept for people to look at, except the one too large to keep.
        Assert.All(items.Where(i => i.Outcome == IngestOutcome.Rejected && i.Reason != RejectReason.TooLarge),
            i => Assert.NotNull(i.FileKey));
        Assert.Null(items.Single(i => i.Reason == RejectReason.TooLarge).FileKey);
    }

    [Fact]
    public async Task Ingesting_the_same_folder_again_adds_nothing_and_says_why()
    {
        var harness = new IngestHarness(database, Options);
        var folder = IngestHarness.Folder([.. GoodFiles(2000), ("broken.jpg", TestImages.Jpeg(seed: 2100)[..5000])]);

        var first = await harness.RunAsync(new FolderSource(folder));
        var second = await harness.RunAsync(new FolderSource(folder));

        Assert.Equal((3, 1, 0), (first.Accepted, first.Rejected, first.Duplicates));
        Assert.Equal((0, 1, 3), (second.Accepted, second.Rejected, second.Duplicates));
        Assert.Empty(await harness.ImagesAsync(second.Id));
        var firstImages = (await harness.ImagesAsync(first.Id)).Select(i => i.Id).ToHashSet();
        Assert.All((await harness.ItemsAsync(second.Id)).Where(i => i.Outcome == IngestOutcome.Duplicate),
            i => Assert.Contains(i.DuplicateOf!.Value, firstImages));
    }

    [Fact]
    public async Task A_parsing_map_beside_an_image_comes_with_it_and_one_that_does_not_decode_is_left_out_saying_why()
    {
        var harness = new IngestHarness(database, Options);
        var map = TestImages.Png(640, 480, seed: 3010);
        var folder = IngestHarness.Folder(
            ("person.jpg", TestImages.Jpeg(640, 480, seed: 3000)),
            ("person.parsing.png", map),
            ("other.png", TestImages.Png(512, 400, seed: 3001)),
            ("other.parsing.png", "not a png"u8.ToArray()),
            ("lonely.parsing.png", TestImages.Png(500, 420, seed: 3002)));

        var run = await harness.RunAsync(new FolderSource(folder));

        // The two maps with an image travel with it; a map without its image is a file like any other.
        var items = await harness.ItemsAsync(run.Id);
        Assert.Equal(["lonely.parsing.png", "other.png", "person.jpg"], items.Select(i => i.Name).Order(StringComparer.Ordinal));
        Assert.Equal((3, 3), (run.Total, run.Accepted));
        var images = (await harness.ImagesAsync(run.Id)).ToDictionary(i => i.SourceUri);
        using (var stored = new MemoryStream())
        {
            await using (var read = await harness.Store.OpenReadAsync(images["person.jpg"].ParsingMapKey!)) await read.CopyToAsync(stored);
            Assert.Equal(map, stored.ToArray());
        }
        Assert.Null(images["other.png"].ParsingMapKey);
        Assert.Contains("parsing map was left out", items.Single(i => i.Name == "other.png").Detail);
        Assert.Null(images["lonely.parsing.png"].ParsingMapKey);
    }

    [Fact]
    public async Task A_parsing_map_that_cannot_be_read_or_is_over_the_size_limit_is_left_out_and_its_image_still_taken()
    {
        var harness = new IngestHarness(database, new IngestOptions { MaxFileBytes = 400_000, Parallelism = 2 });
        var folder = IngestHarness.Folder(
            ("gone.jpg", TestImages.Jpeg(640, 480, seed: 3100)),
            ("huge.jpg", TestImages.Jpeg(640, 480, seed: 3101)),
            ("huge.parsing.png", new byte[400_001]));
        // A map that vanished between listing and reading, as a dangling link shows it.
        File.CreateSymbolicLink(Path.Combine(folder, "gone.parsing.png"), Path.Combine(folder, "no-such-map.png"));

        var run = await harness.RunAsync(new FolderSource(folder));

        Assert.Equal((2, 2), (run.Total, run.Accepted));
        Assert.All(await harness.ImagesAsync(run.Id), image => Assert.Null(image.ParsingMapKey));
        var items = (await harness.ItemsAsync(run.Id)).ToDictionary(i => i.Name);
        Assert.Contains("parsing map was left out", items["gone.jpg"].Detail);
        Assert.Contains("gone.parsing.png", items["gone.jpg"].Detail);
        Assert.Contains("parsing map was left out: it is larger than the limit of 400,000 bytes", items["huge.jpg"].Detail);
    }

    [Fact]
    public async Task A_resized_re_encoded_copy_is_caught_as_a_near_duplicate()
    {
        var harness = new IngestHarness(database, Options);
        var original = IngestHarness.Folder(("original.jpg", TestImages.Jpeg(1024, 768, 3000, quality: 95)));
        var copy = IngestHarness.Folder(("copy.jpg", TestImages.Jpeg(1024, 768, 3000, quality: 55)));

        await harness.RunAsync(new FolderSource(original));
        var run = await harness.RunAsync(new FolderSource(copy));

        Assert.Equal(1, run.NearDuplicates);
        var item = (await harness.ItemsAsync(run.Id)).Single();
        Assert.Equal(IngestOutcome.NearDuplicate, item.Outcome);
        var stored = (await harness.ImagesAsync(run.Id)).Single();
        Assert.Equal(ImageStatus.Rejected, stored.Status);
        Assert.StartsWith($"near duplicate of image {item.DuplicateOf}", stored.RejectReason);
    }

    [Theory]
    [InlineData(4000, new[] { 0 })] // the first chunk, then the Worker died
    [InlineData(4010, new[] { 0, 2 })] // and a file beyond it, as an upload refuses one on arrival
    [InlineData(4020, new[] { 1 })] // only a file beyond the start
    public async Task A_resumed_run_skips_the_files_it_already_recorded(int seed, int[] recorded)
    {
        var harness = new IngestHarness(database, Options);
        var files = GoodFiles(seed);
        var folder = IngestHarness.Folder(files);

        var run = await harness.RunAsync(new FolderSource(folder), async runId =>
        {
            await using var db = await database.Contexts.CreateDbContextAsync();
            foreach (var ordinal in recorded)
                db.IngestItems.Add(new IngestItem { IngestRunId = runId, Ordinal = ordinal, Name = files[ordinal].Name, Outcome = IngestOutcome.Rejected, Reason = RejectReason.Corrupt });
            await db.SaveChangesAsync();
        });

        var items = await harness.ItemsAsync(run.Id);
        Assert.Equal([0, 1, 2], items.Select(i => i.Ordinal));
        Assert.Equal([.. Enumerable.Range(0, 3).Select(o => recorded.Contains(o) ? IngestOutcome.Rejected : IngestOutcome.Accepted)], items.Select(i => i.Outcome));
        Assert.Equal(3 - recorded.Length, run.Accepted);
    }

    [Fact]
    public async Task A_missing_folder_fails_the_run_with_the_path_named()
    {
        var harness = new IngestHarness(database, Options);

        var error = await Assert.ThrowsAsync<InvalidIngestSourceException>(() => harness.RunAsync(new FolderSource("/no/such/folder")));

        Assert.Equal($"The folder '/no/such/folder' does not exist on Worker machine {Environment.MachineName}.", error.Message);
    }

    [Fact]
    public async Task A_source_that_lists_nothing_to_ingest_fails_the_run_saying_what_was_passed_over()
    {
        // A folder of only captions and hidden files, a bucket prefix mistyped, a URL list of only comments.
        var folder = IngestHarness.Folder(("00000.json", "{}"u8.ToArray()), (".DS_Store", [0]));
        var urls = Path.Combine(IngestHarness.Folder(), "urls.txt");
        await File.WriteAllTextAsync(urls, "# exported 2026-12-01\n\n");
        var bucket = $"ingest-{Guid.NewGuid():N}"[..20];
        var settings = new S3Settings { Endpoint = TestEnvironment.S3Endpoint, AccessKey = TestEnvironment.S3AccessKey, SecretKey = TestEnvironment.S3SecretKey, Bucket = bucket, CreateBucket = true };
        var store = new S3ObjectStore(S3ObjectStore.CreateClient(settings), settings);
        await store.CheckAsync();
        await store.PutAsync("Batch/photo.jpg", new MemoryStream(TestImages.Jpeg(seed: 5500)), "image/jpeg");
        var harness = new IngestHarness(database, Options);

        var emptyFolder = await Assert.ThrowsAsync<InvalidIngestSourceException>(() => harness.RunAsync(new FolderSource(folder)));
        var emptyPrefix = await Assert.ThrowsAsync<InvalidIngestSourceException>(() =>
            harness.RunAsync(new BucketSource(bucket, "batch/", TestEnvironment.S3Endpoint, TestEnvironment.S3AccessKey, TestEnvironment.S3SecretKey)));
        var emptyList = await Assert.ThrowsAsync<InvalidIngestSourceException>(() => harness.RunAsync(new UrlFileSource(urls)));

        Assert.StartsWith($"The folder '{folder}' on Worker machine {Environment.MachineName} holds nothing to ingest: no files but hidden ones and caption or metadata files (.json, .jsonl,", emptyFolder.Message);
        Assert.StartsWith($"Nothing to ingest under s3://{bucket}/batch/ at {TestEnvironment.S3Endpoint}: no objects there", emptyPrefix.Message);
        Assert.EndsWith("Keys are case-sensitive; check the bucket and the prefix.", emptyPrefix.Message);
        Assert.Equal($"The URL list file '{urls}' on Worker machine {Environment.MachineName} lists no URLs: it holds only blank lines and lines starting with '#'.", emptyList.Message);
    }

    [Fact]
    public async Task A_folder_run_given_a_file_and_a_url_list_run_given_a_folder_say_which_is_which()
    {
        var folder = Directory.CreateTempSubdirectory("aa-which").FullName;
        var file = Path.Combine(folder, "urls.txt");
        await File.WriteAllTextAsync(file, "https://example.com/a.jpg\n");
        var harness = new IngestHarness(database, Options);

        var asFolder = await Assert.ThrowsAsync<InvalidIngestSourceException>(() => harness.RunAsync(new FolderSource(file)));
        var asList = await Assert.ThrowsAsync<InvalidIngestSourceException>(() => harness.RunAsync(new UrlFileSource(folder)));
        Directory.Delete(folder, recursive: true);

        Assert.StartsWith($"'{file}' is a file on Worker machine {Environment.MachineName}, not a folder", asFolder.Message);
        Assert.StartsWith($"'{folder}' is a folder on Worker machine {Environment.MachineName}, not a URL list file", asList.Message);
    }

    [Fact]
    public async Task Files_under_a_bucket_prefix_are_ingested_in_key_order_each_with_the_parsing_map_beside_it()
    {
        var bucket = $"ingest-{Guid.NewGuid():N}"[..20];
        var settings = new S3Settings { Endpoint = TestEnvironment.S3Endpoint, AccessKey = TestEnvironment.S3AccessKey, SecretKey = TestEnvironment.S3SecretKey, Bucket = bucket, CreateBucket = true };
        var source = new S3ObjectStore(S3ObjectStore.CreateClient(settings), settings);
        await source.CheckAsync();
        foreach (var (name, bytes) in GoodFiles(5000)) await source.PutAsync($"batch/{name}", new MemoryStream(bytes), "application/octet-stream");
        // Listed before its image ("good-2.pa" < "good-2.pn"), the map must still wait for it.
        var map = TestImages.Png(512, 400, seed: 5200);
        await source.PutAsync("batch/good-2.parsing.png", new MemoryStream(map), "image/png");
        await source.PutAsync("other/skip.jpg", new MemoryStream(TestImages.Jpeg(seed: 5100)), "image/jpeg");
        // A picture's caption beside it, as img2dataset writes them: passed over, not refused.
        await source.PutAsync("batch/good-1.json", new MemoryStream("{\"caption\": \"a person\"}"u8.ToArray()), "application/json");
        var harness = new IngestHarness(database, Options);

        var run = await harness.RunAsync(new BucketSource(bucket, "batch/", TestEnvironment.S3Endpoint, TestEnvironment.S3AccessKey, TestEnvironment.S3SecretKey));

        Assert.Equal((3, 3), (run.Total, run.Accepted));
        Assert.Equal(["batch/good-1.jpg", "batch/good-2.png", "batch/good-3.webp"], (await harness.ItemsAsync(run.Id)).Select(i => i.Name).Order(StringComparer.Ordinal));
        var images = (await harness.ImagesAsync(run.Id)).ToDictionary(i => i.SourceUri);
        Assert.Equal(map, await harness.Store.ReadAllBytesAsync(images["batch/good-2.png"].ParsingMapKey!));
        Assert.Null(images["batch/good-1.jpg"].ParsingMapKey);
    }

    [Fact]
    public async Task Bucket_keys_with_spaces_and_any_script_are_ingested_under_their_keys()
    {
        var bucket = $"ingest-{Guid.NewGuid():N}"[..20];
        var settings = new S3Settings { Endpoint = TestEnvironment.S3Endpoint, AccessKey = TestEnvironment.S3AccessKey, SecretKey = TestEnvironment.S3SecretKey, Bucket = bucket, CreateBucket = true };
        await new S3ObjectStore(S3ObjectStore.CreateClient(settings), settings).CheckAsync();
        // Written as another tool writes them: the platform's own store writes only keys of its own spelling. No '+':
        // the SDK reads listings as URL-encoded, which S3 and MinIO send and the test server does not.
        var client = S3ObjectStore.CreateClient(settings);
        string[] keys = ["batch/Holiday 2024/photo 1.jpg", "batch/照片 (2).png", "batch/naïve &more.webp"];
        foreach (var (key, (_, bytes)) in keys.Zip(GoodFiles(5400)))
            await client.PutObjectAsync(new Minio.DataModel.Args.PutObjectArgs().WithBucket(bucket).WithObject(key)
                .WithStreamData(new MemoryStream(bytes)).WithObjectSize(bytes.Length));
        var harness = new IngestHarness(database, Options);

        var run = await harness.RunAsync(new BucketSource(bucket, "batch/", TestEnvironment.S3Endpoint, TestEnvironment.S3AccessKey, TestEnvironment.S3SecretKey));

        var items = await harness.ItemsAsync(run.Id);
        Assert.True(run.Accepted == 3, string.Join("; ", items.Select(i => $"{i.Name}: {i.Outcome} {i.Detail}")));
        Assert.Equal(keys.Order(StringComparer.Ordinal), items.Select(i => i.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Uploaded_files_keep_the_names_they_were_sent_under_in_the_report()
    {
        string[] names = ["naïve name (1).jpg", "张伟_2024.png", ".hidden.webp", "a%20b_5F.jpg"];
        var files = GoodFiles(5300).Select(f => f.Bytes).Concat([TestImages.Jpeg(seed: 5310)]).ToArray();
        var harness = new IngestHarness(database, Options);

        // The Web host stages an upload's files under its run, as UploadStager does.
        var run = await harness.RunAsync(new UploadSource("", names.Length), async runId =>
        {
            for (var i = 0; i < names.Length; i++)
                await harness.Store.PutAsync(UploadStaging.Key(runId, i, names[i]), new MemoryStream(files[i]), "application/octet-stream");
        });

        Assert.Equal(names.Length, run.Accepted);
        Assert.Equal(names, (await harness.ItemsAsync(run.Id)).Select(i => i.Name));
    }

    [Fact]
    public async Task A_name_holding_the_nul_character_is_kept_with_a_replacement_character_and_the_run_goes_on()
    {
        // A client's bug, not a person's choice; PostgreSQL's text cannot hold the character, and the run used to fail on it.
        string[] names = ["scan\0001.jpg", "after.jpg"];
        var files = new[] { TestImages.Jpeg(seed: 5320), TestImages.Jpeg(seed: 5321) };
        var harness = new IngestHarness(database, Options);

        var run = await harness.RunAsync(new UploadSource("", names.Length), async runId =>
        {
            for (var i = 0; i < names.Length; i++)
                await harness.Store.PutAsync(UploadStaging.Key(runId, i, names[i]), new MemoryStream(files[i]), "application/octet-stream");
        });

        Assert.Equal(2, run.Accepted);
        Assert.Equal(["scan\uFFFD001.jpg", "after.jpg"], (await harness.ItemsAsync(run.Id)).Select(i => i.Name));
    }

    [Fact]
    public async Task A_url_list_fetches_allowed_addresses_and_refuses_the_rest()
    {
        await using var server = await ImageServer.StartAsync(TestImages.Jpeg(seed: 6000));
        var options = new IngestOptions { MaxFileBytes = Options.MaxFileBytes, Urls = { AllowedNetworks = ["127.0.0.1/32"] } };
        var harness = new IngestHarness(database, options);

        var run = await harness.RunAsync(new UrlListSource([server.Url("/picture.jpg"), server.Url("/picture.jpg", "127.0.0.2"), server.Url("/missing.jpg")]));

        var items = await harness.ItemsAsync(run.Id);
        Assert.Equal([IngestOutcome.Accepted, IngestOutcome.Rejected, IngestOutcome.Rejected], items.Select(i => i.Outcome));
        Assert.Equal([null, RejectReason.BlockedAddress, RejectReason.DownloadFailed], items.Select(i => i.Reason));
    }

    [Fact]
    public async Task A_file_of_urls_is_read_line_by_line_taking_each_lines_first_field_and_refusing_lines_without_a_url()
    {
        await using var server = await ImageServer.StartAsync(TestImages.Jpeg(seed: 6050));
        var options = new IngestOptions { MaxFileBytes = Options.MaxFileBytes, Urls = { AllowedNetworks = ["127.0.0.1/32"] } };
        var list = Path.Combine(IngestHarness.Folder(), "urls.txt");
        // A dataset's list: a header, then each address with a caption beside it (CSV, TSV or a bare line).
        await File.WriteAllTextAsync(list, $"# exported 2026-12-01\r\n\"{server.Url("/picture.jpg")}\",\"a man, walking\"\r\n\r\n  {server.Url("/picture.jpg", "127.0.0.2")}\ta woman  \r\nurl,caption\r\n{server.Url("/missing.jpg")}");
        var harness = new IngestHarness(database, options);

        var run = await harness.RunAsync(new UrlFileSource(list));

        var items = await harness.ItemsAsync(run.Id);
        Assert.Equal(4, run.Total);
        Assert.Equal([server.Url("/picture.jpg"), server.Url("/picture.jpg", "127.0.0.2"), "url", server.Url("/missing.jpg")], items.Select(i => i.Name));
        Assert.Equal([null, RejectReason.BlockedAddress, RejectReason.NotAUrl, RejectReason.DownloadFailed], items.Select(i => i.Reason));
        Assert.Equal($"Line 5 of {list} is not an http or https URL.", items[2].Detail);
    }

    [Fact]
    public async Task A_missing_url_list_file_fails_the_run_with_the_path_named()
    {
        var harness = new IngestHarness(database, Options);

        var error = await Assert.ThrowsAsync<InvalidIngestSourceException>(() => harness.RunAsync(new UrlFileSource("/no/such/urls.txt")));

        Assert.Contains("The URL list file '/no/such/urls.txt' does not exist", error.Message);
    }

    [Fact]
    public async Task A_download_that_breaks_off_part_way_is_refused_and_the_run_goes_on()
    {
        await using var server = await ImageServer.StartAsync(TestImages.Jpeg(seed: 6100));
        var options = new IngestOptions { MaxFileBytes = Options.MaxFileBytes, Urls = { AllowedNetworks = ["127.0.0.1/32"] } };
        var harness = new IngestHarness(database, options);

        var run = await harness.RunAsync(new UrlListSource([server.Url("/cut-short"), server.Url("/picture.jpg")]));

        var items = await harness.ItemsAsync(run.Id);
        Assert.Equal([IngestOutcome.Rejected, IngestOutcome.Accepted], items.Select(i => i.Outcome));
        Assert.Equal(RejectReason.DownloadFailed, items[0].Reason);
        Assert.Contains("/cut-short", items[0].Detail);
    }

    [Fact]
    public async Task The_same_bytes_are_stored_once_even_within_one_chunk()
    {
        var harness = new IngestHarness(database, Options);
        var bytes = TestImages.Jpeg(seed: 7000);
        var folder = IngestHarness.Folder(("a.jpg", bytes), ("b.jpg", bytes));

        var run = await harness.RunAsync(new FolderSource(folder));

        Assert.Equal((1, 1), (run.Accepted, run.Duplicates));
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM images WHERE sha256 = @sha", connection);
        count.Parameters.AddWithValue("sha", System.Security.Cryptography.SHA256.HashData(bytes));
        Assert.Equal(1L, await count.ExecuteScalarAsync());
    }
}
