using System.ComponentModel.DataAnnotations;
using AnnotateAnyone.Data.Jobs;

namespace AnnotateAnyone.Worker.Hosting;

public sealed class WorkerOptions : IValidatableObject
{
    public const string Section = "Worker";

    /// <summary>Queues this Worker serves. A GPU node serves only "gpu"; a CPU-only fleet serves all three.</summary>
    public string[] Queues { get; set; } = [.. JobQueues.All];

    /// <summary>Worker threads for the ingest and default queues. The gpu queue always runs one job at a time.</summary>
    [Range(1, 256)]
    public int Concurrency { get; set; } = Environment.ProcessorCount;

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Queues.Length == 0)
            yield return new ValidationResult("Worker:Queues must name at least one queue.", [nameof(Queues)]);
        foreach (var queue in Queues.Where(q => !JobQueues.All.Contains(q)))
            yield return new ValidationResult(
                $"Worker:Queues names '{queue}', which is not a queue. Queues are: {string.Join(", ", JobQueues.All)}.", [nameof(Queues)]);
    }
}
