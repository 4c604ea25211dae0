using System.Text.Json;
using AnnotateAnyone.Data.Hosting;
using AnnotateAnyone.Data.Ingest;

namespace AnnotateAnyone.Worker.Synthetic;

/// <summary>
/// `AnnotateAnyone.Worker generate-people --count N --out DIR [--seed S] [--width W] [--height H]`: writes
/// synthetic people to a folder (JPEG, parsing map PNG, and truth.jsonl), for trying ingest or outside tools.
/// </summary>
public static class GeneratePeopleCommand
{
    private const string Usage = "usage: generate-people --count N --out DIR [--seed S] [--width W] [--height H]";

    public static bool IsCommand(string[] args) => args is ["generate-people", ..];

    public static int Run(string[] args)
    {
        string folder;
        int count, seed, width, height;
        try
        {
            // The ranges of a synthetic ingest source, so a folder written here could as well have been generated there.
            count = CommandLine.WholeNumber(args, "--count", 1, SyntheticSource.MaxCount) ?? throw new ArgumentException("--count is required.");
            folder = CommandLine.Required(args, "--out");
            seed = CommandLine.WholeNumber(args, "--seed", int.MinValue, int.MaxValue) ?? 1;
            width = CommandLine.WholeNumber(args, "--width", SyntheticSource.MinSide, SyntheticSource.MaxSide) ?? 512;
            height = CommandLine.WholeNumber(args, "--height", SyntheticSource.MinSide, SyntheticSource.MaxSide) ?? 512;
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            Console.Error.WriteLine(Usage);
            return 2;
        }
        try
        {
            Write(folder, count, seed, width, height);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: cannot write to '{folder}': {e.Message}");
            return 1;
        }
        Console.WriteLine($"Wrote {count} synthetic people to {folder}.");
        return 0;
    }

    private static void Write(string folder, int count, int seed, int width, int height)
    {
        Directory.CreateDirectory(folder);
        using var truth = new StreamWriter(Path.Combine(folder, "truth.jsonl"));
        for (var i = 0; i < count; i++)
        {
            var person = SyntheticPeople.Generate(seed, i, width, height);
            var name = $"person-{seed}-{i:D6}";
            File.WriteAllBytes(Path.Combine(folder, $"{name}.jpg"), person.Jpeg);
            File.WriteAllBytes(Path.Combine(folder, $"{name}.parsing.png"), person.ParsingMapPng);
            truth.WriteLine(JsonSerializer.Serialize(new { file = $"{name}.jpg", person.Usable, person.UnusableBecause, person.Truth }));
        }
    }
}
