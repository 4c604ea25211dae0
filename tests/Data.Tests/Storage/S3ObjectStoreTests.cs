using AnnotateAnyone.Data.Storage;

namespace AnnotateAnyone.Data.Tests.Storage;

/// <summary>Runs against the S3 server the test script started (s3rver), through the MinIO SDK.</summary>
public sealed class S3ObjectStoreTests : ObjectStoreContract, IAsyncLifetime
{
    private readonly S3Settings _settings = Settings($"contract-{Guid.NewGuid():N}"[..30], createBucket: true);

    public S3ObjectStoreTests() => Store = new S3ObjectStore(S3ObjectStore.CreateClient(_settings), _settings);

    protected override IObjectStore Store { get; }

    public Task InitializeAsync() => Store.CheckAsync();

    public Task DisposeAsync()
    {
        foreach (var server in _servers) server.Close();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_presigned_address_downloads_the_object_without_credentials()
    {
        await Store.PutAsync("presigned/hello.txt", Text("hello"), "text/plain");

        var url = await Store.GetDownloadUrlAsync("presigned/hello.txt", TimeSpan.FromMinutes(5));

        using var http = new HttpClient();
        Assert.Equal("hello", await http.GetStringAsync(url));
    }

    [Theory]
    [InlineData("batch/../escape.jpg", "may be folded into another key")]
    [InlineData("./photo.jpg", "may be folded into another key")]
    [InlineData("", "1 to 1,024 bytes")]
    public async Task A_key_a_bucket_could_not_be_read_under_safely_is_refused_before_any_request(string key, string reason)
    {
        // Reads take the keys other tools wrote (spaces, any script; see the ingest tests), but not these.
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Store.OpenReadAsync(key));

        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public async Task Check_names_a_missing_bucket_and_how_to_fix_it()
    {
        var settings = Settings("no-such-bucket", createBucket: false);
        var store = new S3ObjectStore(S3ObjectStore.CreateClient(settings), settings);

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => store.CheckAsync());

        Assert.Contains("Bucket 'no-such-bucket' does not exist", error.Message);
        Assert.Contains("Storage:S3:CreateBucket", error.Message);
    }

    [Fact]
    public async Task Check_says_when_the_server_cannot_be_reached()
    {
        var settings = Settings("any", createBucket: false);
        settings.Endpoint = "127.0.0.1:1";
        var store = new S3ObjectStore(S3ObjectStore.CreateClient(settings), settings);

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => store.CheckAsync());

        Assert.Contains("Cannot reach the S3 server", error.Message);
    }

    [Fact]
    public async Task Listing_a_missing_bucket_or_an_unreachable_server_says_which_in_the_stores_terms()
    {
        var missing = Settings("no-such-bucket", createBucket: false);
        var unreachable = Settings("any", createBucket: false);
        unreachable.Endpoint = "127.0.0.1:1";

        var noBucket = await Assert.ThrowsAsync<StorageUnavailableException>(() =>
            new S3ObjectStore(S3ObjectStore.CreateClient(missing), missing).ListAsync("photos/").ToListAsync().AsTask());
        var noServer = await Assert.ThrowsAsync<StorageUnavailableException>(() =>
            new S3ObjectStore(S3ObjectStore.CreateClient(unreachable), unreachable).ListAsync("photos/").ToListAsync().AsTask());

        Assert.Equal($"There is no bucket 'no-such-bucket' at http://{TestEnvironment.S3Endpoint}.", noBucket.Message);
        Assert.StartsWith("Cannot list 'photos/' in the bucket 'any' at http://127.0.0.1:1: ", noServer.Message);
    }

    [Fact]
    public async Task A_read_the_server_answers_with_an_error_is_an_io_error_naming_the_store_and_object()
    {
        // A bodiless 503, as a busy server answers: the SDK itself throws NullReferenceException on it.
        var store = FakeServer(context =>
        {
            context.Response.StatusCode = 503;
            context.Response.Close();
            return Task.CompletedTask;
        });

        var error = await Assert.ThrowsAsync<IOException>(() => ReadAllAsync(store, "photos/a.jpg"));

        Assert.Contains("'photos/a.jpg'", error.Message);
        Assert.Contains(store.Location, error.Message);
    }

    [Fact]
    public async Task A_read_that_breaks_off_part_way_is_an_io_error_for_the_reader()
    {
        var store = FakeServer(async context =>
        {
            context.Response.ContentLength64 = 100_000;
            await context.Response.OutputStream.WriteAsync(new byte[1000]);
            await context.Response.OutputStream.FlushAsync();
            context.Response.Abort();
        });

        await Assert.ThrowsAsync<IOException>(() => ReadAllAsync(store, "photos/a.jpg"));
    }

    [Fact]
    public async Task A_read_the_server_asks_to_retry_is_retried_and_the_error_text_never_reaches_the_reader()
    {
        // S3's answer when it is busy: 503 with an XML "SlowDown" body. The SDK hands any answer's body to its download
        // callback before checking the status, so without retries below it this text would be read as the object.
        var gets = 0;
        var store = FakeServer(async context =>
        {
            var response = context.Response;
            var busy = context.Request.HttpMethod == "GET" && Interlocked.Increment(ref gets) <= 2;
            var body = System.Text.Encoding.UTF8.GetBytes(busy ? "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>" : "hello");
            response.StatusCode = busy ? 503 : 200;
            response.ContentType = busy ? "application/xml" : "text/plain";
            response.Headers["ETag"] = "\"5d41402abc4b2a76b9719d911017c592\"";
            response.Headers["Last-Modified"] = "Mon, 30 Nov 2026 12:00:00 GMT";
            response.ContentLength64 = body.Length;
            if (context.Request.HttpMethod != "HEAD") await response.OutputStream.WriteAsync(body);
            response.Close();
        });

        await using var read = await store.OpenReadAsync("photos/a.jpg");
        using var text = new StreamReader(read);

        Assert.Equal("hello", await text.ReadToEndAsync());
        Assert.Equal(3, gets);
    }

    /// <summary>
    /// Opens and reads an object to its end. A failed read may surface at either step, depending on whether the
    /// failure comes before the store hands the body over: callers see the same error either way.
    /// </summary>
    private static async Task ReadAllAsync(IObjectStore store, string key)
    {
        await using var body = await store.OpenReadAsync(key);
        await body.CopyToAsync(Stream.Null);
    }

    /// <summary>A store whose server answers every request as <paramref name="answer"/> does; stopped with the test class.</summary>
    private S3ObjectStore FakeServer(Func<System.Net.HttpListenerContext, Task> answer)
    {
        var server = new System.Net.HttpListener();
        _servers.Add(server);
        var port = TestEnvironment.FreePort();
        server.Prefixes.Add($"http://127.0.0.1:{port}/");
        server.Start();
        _ = Task.Run(async () =>
        {
            while (server.IsListening)
            {
                try { await answer(await server.GetContextAsync()); }
                catch (Exception) when (!server.IsListening) { }
            }
        });
        var settings = Settings("fake", createBucket: false);
        settings.Endpoint = $"127.0.0.1:{port}";
        return new S3ObjectStore(S3ObjectStore.CreateClient(settings), settings);
    }

    private readonly List<System.Net.HttpListener> _servers = [];

    private static S3Settings Settings(string bucket, bool createBucket) => new()
    {
        Endpoint = TestEnvironment.S3Endpoint,
        AccessKey = TestEnvironment.S3AccessKey,
        SecretKey = TestEnvironment.S3SecretKey,
        Bucket = bucket,
        CreateBucket = createBucket,
        RetryDelay = TimeSpan.FromMilliseconds(20),
    };
}
