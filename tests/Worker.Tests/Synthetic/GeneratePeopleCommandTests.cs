namespace AnnotateAnyone.Worker.Tests.Synthetic;

/// <summary>The Worker's generate-people command, run as a user runs it: the Worker's build output with arguments.</summary>
public sealed class GeneratePeopleCommandTests
{
    [Fact]
    public async Task Writes_each_person_with_its_parsing_map_and_one_truth_line_each()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"aa-people-{Guid.NewGuid():N}", "new");

        var (exitCode, output) = await RunAsync("--count", "2", "--out", folder, "--seed", "7", "--width", "96", "--height", "128");

        Assert.True(exitCode == 0, output);
        Assert.Equal(["person-7-000000.jpg", "person-7-000000.parsing.png", "person-7-000001.jpg", "person-7-000001.parsing.png", "truth.jsonl"],
            Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(2, File.ReadAllLines(Path.Combine(folder, "truth.jsonl")).Length);
        Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
    }

    [Theory]
    [InlineData("--out /tmp/x", "--count is required.")]
    [InlineData("--count many --out /tmp/x", "--count must be a whole number from 1 to 1,000,000, not 'many'.")]
    [InlineData("--count 2 --out /tmp/x --seed x", "--seed must be a whole number from")]
    [InlineData("--count 2 --out /tmp/x --width 8", "--width must be a whole number from 64 to 4,096, not '8'.")]
    [InlineData("--count 2", "--out is required.")]
    public async Task Bad_options_exit_2_naming_the_option_and_what_it_takes(string arguments, string reason)
    {
        var (exitCode, output) = await RunAsync(arguments.Split(' '));

        Assert.Equal(2, exitCode);
        Assert.Contains($"error: {reason}", output);
        Assert.Contains("usage: generate-people --count N --out DIR", output);
    }

    [Fact]
    public async Task A_folder_that_cannot_be_written_exits_1_naming_it()
    {
        var file = Path.GetTempFileName();

        var (exitCode, output) = await RunAsync("--count", "1", "--out", Path.Combine(file, "people"));
        File.Delete(file);

        Assert.Equal(1, exitCode);
        Assert.Contains($"error: cannot write to '{Path.Combine(file, "people")}'", output);
    }

    private static Task<(int ExitCode, string Output)> RunAsync(params string[] arguments) =>
        HostProcess.RunAsync("Worker", new Dictionary<string, string>(), TimeSpan.FromMinutes(1), ["generate-people", .. arguments]);
}
