using AnnotateAnyone.Data.Labels;
using AnnotateAnyone.Worker.Hosting;

namespace AnnotateAnyone.Worker.Review;

/// <summary>
/// Completes the items annotators took back, changed and then left to lapse (<see cref="LabelBook.CompleteLapsedTakingsBackAsync"/>),
/// so the reviews are read with the answers the labels already hold. Every Worker looks; each item is locked by the
/// one that completes it.
/// </summary>
internal sealed class TakingsBackUpkeep(LabelBook book, TimeProvider clock, ILogger<TakingsBackUpkeep> log)
    : PeriodicWork(Interval, clock, log)
{
    /// <summary>Until it is completed, a lapsed item holds its image's place in the queue (a lead's spot check of it waits).</summary>
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    protected override string Work => "Completing lapsed items taken back";

    protected override async Task TickAsync(CancellationToken stoppingToken)
    {
        if (await book.CompleteLapsedTakingsBackAsync(stoppingToken) is > 0 and var completed)
            Log.LogInformation("Completed {Items} items taken back and changed whose annotators left them to lapse", completed);
    }
}
