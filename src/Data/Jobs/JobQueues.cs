namespace AnnotateAnyone.Data.Jobs;

/// <summary>
/// Hangfire queues. Model work goes to <see cref="Gpu"/>, served by one worker thread per process because
/// torch's seed and thread settings are process-wide; a GPU node serves only that queue.
/// </summary>
public static class JobQueues
{
    public const string Gpu = "gpu";
    public const string Ingest = "ingest";
    public const string Default = "default";

    public static IReadOnlyList<string> All { get; } = [Gpu, Ingest, Default];

    public static string For(JobKind kind) => kind switch
    {
        JobKind.Ingest => Ingest,
        JobKind.PreAnnotate or JobKind.TrainCaptioner or JobKind.Round or JobKind.TrainDaring or JobKind.GenerateImages => Gpu,
        _ => Default,
    };
}
