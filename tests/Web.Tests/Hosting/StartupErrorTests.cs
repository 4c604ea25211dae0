namespace AnnotateAnyone.Web.Tests.Hosting;

/// <summary>
/// The Web host started from its build output with bad settings: it must stop at once, non-zero, saying what
/// is wrong and with which setting, instead of serving errors later.
/// </summary>
public sealed class StartupErrorTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_missing_connection_string_is_named()
    {
        var output = await FailedStartAsync(Settings(connectionString: null));
        Assert.Contains("ConnectionStrings:Annotate is not set", output);
    }

    [Fact]
    public async Task A_malformed_connection_string_is_named()
    {
        var output = await FailedStartAsync(Settings(connectionString: "Hots=nowhere;Prot=5"));
        Assert.Contains("ConnectionStrings:Annotate is not a valid PostgreSQL connection string", output);
    }

    [Fact]
    public async Task An_unreachable_database_is_named_with_its_address()
    {
        var output = await FailedStartAsync(Settings(connectionString: "Host=127.0.0.1;Port=1;Database=annotate;Username=postgres;Timeout=2"));
        Assert.Contains("Cannot connect to PostgreSQL at 127.0.0.1:1/annotate", output);
    }

    [Fact]
    public async Task A_database_without_migrations_says_how_to_migrate()
    {
        var fresh = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString) { Database = "postgres" }.ConnectionString;
        var output = await FailedStartAsync(Settings(connectionString: fresh));
        Assert.Contains("Run the migrate command", output);
    }

    [Fact]
    public async Task A_storage_path_that_is_a_file_is_named()
    {
        var file = Path.GetTempFileName();
        var output = await FailedStartAsync(Settings(storage: new() { ["Storage:Path"] = file }));
        Assert.Contains($"Storage:Path '{file}' is a file, not a folder", output);
    }

    [Fact]
    public async Task A_missing_bucket_is_named()
    {
        var output = await FailedStartAsync(Settings(storage: S3("bucket-that-is-not-there")));
        Assert.Contains("Bucket 'bucket-that-is-not-there' does not exist", output);
    }

    [Fact]
    public async Task Incomplete_s3_settings_are_named()
    {
        var output = await FailedStartAsync(Settings(storage: new() { ["Storage:Kind"] = "S3" }));
        Assert.Contains("Storage:S3:Endpoint must be set", output);
        Assert.Contains("Storage:S3:Bucket must be set", output);
    }

    [Fact]
    public async Task Out_of_range_s3_retry_settings_are_named()
    {
        var settings = S3("any");
        settings["Storage:S3:ReadRetries"] = "50";
        settings["Storage:S3:RetryDelay"] = "00:05:00";

        var output = await FailedStartAsync(Settings(storage: settings));

        Assert.Contains("Storage:S3:ReadRetries is 50", output);
        Assert.Contains("Storage:S3:RetryDelay is 00:05:00", output);
    }

    [Theory]
    [InlineData("migarte", "'migarte' is not a command")]
    [InlineData("seed-demo --count 0", "--count must be a whole number from 1 to 1,000,000, not '0'.")]
    [InlineData("seed-demo --size big", "--size must be a whole number from 64 to 4,096, not 'big'.")]
    [InlineData("create-token --email someone@example.org --name ci --days 0", "--days must be a whole number from 1 to 3,650 (leave it out for a token that does not expire), not '0'.")]
    [InlineData("create-user --email someone@example.org", "--password is required")]
    public async Task A_bad_command_line_exits_2_with_the_reason_and_the_usage(string command, string reason)
    {
        var (exitCode, output) = await HostProcess.RunAsync("Web", Settings(), TimeSpan.FromSeconds(60), command.Split(' '));

        Assert.Equal(2, exitCode);
        Assert.Contains(reason, output);
        Assert.Contains("create-user --email E --password P", output);
    }

    private Dictionary<string, string> Settings(string? connectionString = "", Dictionary<string, string>? storage = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings__Annotate"] = connectionString == "" ? database.ConnectionString : connectionString ?? "",
            ["Urls"] = "http://127.0.0.1:0",
            ["Storage__Path"] = Path.Combine(Path.GetTempPath(), $"aa-startup-{Guid.NewGuid():N}"),
        };
        foreach (var (key, value) in storage ?? []) settings[key.Replace(":", "__")] = value;
        return settings;
    }

    private static Dictionary<string, string> S3(string bucket) => new()
    {
        ["Storage:Kind"] = "S3",
        ["Storage:S3:Endpoint"] = TestEnvironment.S3Endpoint,
        ["Storage:S3:AccessKey"] = TestEnvironment.S3AccessKey,
        ["Storage:S3:SecretKey"] = TestEnvironment.S3SecretKey,
        ["Storage:S3:Bucket"] = bucket,
    };

    private static async Task<string> FailedStartAsync(Dictionary<string, string> environment)
    {
        var (exitCode, output) = await HostProcess.RunAsync("Web", environment, TimeSpan.FromSeconds(60));
        Assert.NotEqual(0, exitCode);
        return output;
    }
}
