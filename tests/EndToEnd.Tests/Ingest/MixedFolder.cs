namespace AnnotateAnyone.EndToEnd.Tests.Ingest;

/// <summary>A folder a user might really send: good pictures of each format among the hostile files.</summary>
public static class MixedFolder
{
    public static IReadOnlyList<(string Name, byte[] Bytes, string? Reason)> Files(int seed) =>
    [
        ("holiday.jpg", TestImages.Jpeg(800, 600, seed), null),
        ("portrait.png", TestImages.Png(480, 640, seed + 1), null),
        ("street.webp", TestImages.Webp(640, 480, seed + 2), null),
        .. TestImages.Hostile(Platform.MaxFileBytes).Select(h => (h.Name, h.Bytes, (string?)h.Reason.ToString())),
    ];

    public static string Write(int seed)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"aa-mixed-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        foreach (var (name, bytes, _) in Files(seed)) File.WriteAllBytes(Path.Combine(folder, name), bytes);
        return folder;
    }
}
