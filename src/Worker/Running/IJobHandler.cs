using AnnotateAnyone.Data.Jobs;

namespace AnnotateAnyone.Worker.Running;

/// <summary>Does the work of one <see cref="JobKind"/>. Returns the run's result (serialised to JSON), or null.</summary>
public interface IJobHandler
{
    JobKind Kind { get; }

    Task<object?> RunAsync(JobContext context, CancellationToken cancellationToken);
}
