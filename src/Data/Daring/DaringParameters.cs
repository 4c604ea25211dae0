namespace AnnotateAnyone.Data.Daring;

/// <summary>
/// A Daring training run: what it trains on (a published release, or the verified images of a round), its budget
/// and its hyper-parameters. With <see cref="Ablation"/> it trains a second model with λ = 0, the same seed and
/// the same budget, and reports both side by side (CosmicMan's HOLA ablation).
/// </summary>
public sealed record TrainDaringParameters(
    int? ReleaseId = null,
    int? RoundId = null,
    int Steps = 300,
    int BatchSize = 8,
    double LearningRate = 3e-4,
    double Lambda = 1.0,
    int Resolution = 64,
    int Seed = 1,
    int CheckpointEvery = 50,
    bool Ablation = false)
{
    public static readonly IReadOnlyList<int> Resolutions = [32, 64, 128, 256];

    /// <summary>Every reason the parameters cannot run, in words a user can act on; empty when they can.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (ReleaseId is null == RoundId is null) problems.Add("Choose either a published release or a round to train on.");
        if (Steps is < 1 or > 1_000_000) problems.Add("Steps must be between 1 and 1,000,000.");
        if (BatchSize is < 1 or > 512) problems.Add("Batch size must be between 1 and 512.");
        if (!(LearningRate > 0 && LearningRate <= 1)) problems.Add("Learning rate must be above 0 and at most 1.");
        if (!(Lambda >= 0 && Lambda <= 100)) problems.Add("λ (HOLA weight) must be between 0 and 100.");
        if (Ablation && Lambda == 0) problems.Add("An ablation compares λ = 0 with a λ above 0: set λ above 0.");
        if (!Resolutions.Contains(Resolution)) problems.Add($"Resolution must be one of {string.Join(", ", Resolutions)}.");
        if (CheckpointEvery is < 1 or > 1_000_000) problems.Add("Checkpoint interval must be between 1 and 1,000,000 steps.");
        return problems;
    }
}

/// <summary>One group of a prompt: its key in the taxonomy and its words (composed from values or typed freely).</summary>
public sealed record PromptGroup(string Key, string Phrase);

/// <summary>Images to generate with a Daring model version: the prompt by group, seeds from <see cref="Seed"/> on, guidance and DDIM steps.</summary>
public sealed record GenerateImagesParameters(int ModelVersionId, IReadOnlyList<PromptGroup> Groups, int Seed = 1, double Guidance = 3, int Steps = 25, int Count = 4)
{
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Groups.Count == 0 || Groups.All(g => string.IsNullOrWhiteSpace(g.Phrase))) problems.Add("Describe at least one group of the prompt.");
        if (Groups.Any(g => g.Phrase.Length > 300)) problems.Add("A group's words must be at most 300 characters.");
        if (!(Guidance >= 0 && Guidance <= 30)) problems.Add("Guidance must be between 0 and 30.");
        if (Steps is < 1 or > 1000) problems.Add("Steps must be between 1 and 1000.");
        if (Count is < 1 or > 16) problems.Add("Between 1 and 16 images at a time.");
        if (Seed < 0) problems.Add("The seed must not be negative.");
        return problems;
    }
}

/// <summary>
/// What a generation run produced: the caption as encoded, words outside the model's vocabulary, groups left out
/// at the token limit, and per image its seed and object key and per group the key of its attention overlay.
/// </summary>
public sealed record GeneratedImages(string Caption, IReadOnlyList<string> UnknownWords, IReadOnlyList<string> CutGroups, int AttentionResolution,
    IReadOnlyList<GeneratedImageFiles> Images);

public sealed record GeneratedImageFiles(int Seed, string ImageKey, IReadOnlyDictionary<string, string> AttentionKeys);
