using System.Text.Json;

namespace AnnotateAnyone.Worker.Synthetic;

/// <summary>
/// `AnnotateAnyone.Worker generate-people --count N --out DIR [--seed S] [--width W] [--height H]`: writes
/// synthetic people to a folder (JPEG, parsing map PNG, and truth.jsonl), for trying ingest or outside tools.
/// </summary>
public static class GeneratePeopleCommand
{
    public static bool IsCommand(string[] args) => args is ["generate-people", ..];

    public static int Run(string[] args)
    {
        string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        if (Option("--out") is not { } folder || !int.TryParse(Option("--count"), out var count) || count < 1)
        {
            Console.Error.WriteLine("usage: generate-people --count N --out DIR [--seed S] [--width W] [--height H]");
            return 2;
        }
        var seed = int.TryParse(Option("--seed"), out var s) ? s : 1;
        var width = int.TryParse(Option("--width"), out var w) ? w : 512;
        var height = int.TryParse(Option("--height"), out var h) ? h : 512;

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
        Console.WriteLine($"Wrote {count} synthetic people to {folder}.");
        return 0;
    }
}
