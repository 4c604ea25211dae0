namespace AnnotateAnyone.Data.Releases;

/// <summary>One image whose label changed between two releases.</summary>
public sealed record LabelChangeExample(string Sha256, string? Before, string? After);

public sealed record AttributeChanges(string Attribute, long Changed, IReadOnlyList<LabelChangeExample> Examples);

/// <summary>What changed from one release to the next: images added and removed, labels changed per attribute, with examples.</summary>
public sealed record ReleaseDiff(
    string From,
    string To,
    long ImagesBefore,
    long ImagesAfter,
    long Added,
    long Removed,
    long MovedSplit,
    IReadOnlyList<string> AddedExamples,
    IReadOnlyList<string> RemovedExamples,
    IReadOnlyList<AttributeChanges> Attributes);
