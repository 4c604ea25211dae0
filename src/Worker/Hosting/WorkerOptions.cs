using System.ComponentModel.DataAnnotations;
using AnnotateAnyone.Data.Jobs;

namespace AnnotateAnyone.Worker.Hosting;

public sealed class WorkerOptions : IValidatableObject
{
    public const string Section = "Worker";

    /// <summary>
    /// Queues this Worker serves when set (Worker__Queues__0=gpu ...): a GPU node serves only "gpu". Unset, a Worker
    /// serves all three. Null rather than filled by default: the configuration binder appends to a filled array.
    /// </summary>
    public string[]? Queues { get; set; }

    public IReadOnlyList<string> ServedQueues => Queues ?? JobQueues.All;

    /// <summary>Worker threads for the ingest and default queues. The gpu queue always runs one job at a time.</summary>
    [Range(1, 256)]
    public int Concurrency { get; set; } = Environment.ProcessorCount;

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var queue in ServedQueues.Where(q => !JobQueues.All.Contains(q)))
            yield return new ValidationResult(
                $"Worker:Queues names '{queue}', which is not a queue. Queues are: {string.Join(", ", JobQueues.All)}.", [nameof(Queues)]);
    }
}
