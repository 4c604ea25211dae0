using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Data.Rounds;
using AnnotateAnyone.Worker.Running;

namespace AnnotateAnyone.Worker.Training;

/// <summary>The active captioner proposes labels for every image still waiting for them (or a round's images).</summary>
internal sealed class PreAnnotateJob(PreAnnotator preAnnotator, CaptionerStore captioners) : IJobHandler
{
    public JobKind Kind => JobKind.PreAnnotate;

    public async Task<object?> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters<PreAnnotateParameters>();
        var active = await captioners.ActiveAsync(cancellationToken)
            ?? throw new InvalidOperationException("No captioner is active yet: train one (finish a round, or start a captioner training) first.");
        var images = await preAnnotator.RunAsync(active.Id, parameters.RoundId,
            done => context.ReportProgressAsync(0, $"{done:N0} images proposed", cancellationToken), cancellationToken);
        return new { Model = active.Number, Images = images };
    }
}
