using AnnotateAnyone.Data.Storage;

namespace AnnotateAnyone.Data.Tests.Storage;

/// <summary>Runs against the S3 server the test script started (s3rver), through the MinIO SDK.</summary>
public sealed class S3ObjectStoreTests : ObjectStoreContract, IAsyncLifetime
{
    private readonly S3Settings _settings = Settings($"contract-{Guid.NewGuid():N}"[..30], createBucket: true);

    public S3ObjectStoreTests() => Store = new S3ObjectStore(S3ObjectStore.CreateClient(_settings), _settings);

    protected override IObjectStore Store { get; }

    public Task InitializeAsync() => Store.CheckAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_presigned_address_downloads_the_object_without_credentials()
    {
        await Store.PutAsync("presigned/hello.txt", Text("hello"), "text/plain");

        var url = await Store.GetDownloadUrlAsync("presigned/hello.txt", TimeSpan.FromMinutes(5));

        using var http = new HttpClient();
        Assert.Equal("hello", await http.GetStringAsync(url));
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

    private static S3Settings Settings(string bucket, bool createBucket) => new()
    {
        Endpoint = TestEnvironment.S3Endpoint,
        AccessKey = TestEnvironment.S3AccessKey,
        SecretKey = TestEnvironment.S3SecretKey,
        Bucket = bucket,
        CreateBucket = createBucket,
    };
}
