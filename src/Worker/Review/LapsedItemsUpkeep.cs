using AnnotateAnyone.Data.Labels;
using AnnotateAnyone.Worker.Hosting;

namespace AnnotateAnyone.Worker.Review;

/// <summary>
/// Settles the review items whose lease lapsed that nobody else may take: items taken back (completed as they stand if
/// changed, cancelled if not) and gold checks (<see cref="LabelBook.SettleLapsedAsync"/>). Every Worker looks; each item
/// taken back is locked by the one that completes it.
/// </summary>
internal sealed class LapsedItemsUpkeep(LabelBook book, TimeProvider clock, ILogger<LapsedItemsUpkeep> log)
    : PeriodicWork(Interval, clock, log)
{
    /// <summary>Until it is settled, a lapsed item holds its image's place in the queue (a lead's spot check of it waits).</summary>
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    protected override string Work => "Settling lapsed review items";

    protected override async Task TickAsync(CancellationToken stoppingToken)
    {
        var (completed, cancelled) = await book.SettleLapsedAsync(stoppingToken);
        if (completed + cancelled > 0)
            Log.LogInformation("Settled lapsed review items nobody else may take: {Completed} taken back and changed completed, {Cancelled} cancelled",
                completed, cancelled);
    }
}
