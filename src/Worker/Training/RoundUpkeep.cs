using AnnotateAnyone.Data.Rounds;
using AnnotateAnyone.Data.Routing;
using AnnotateAnyone.Worker.Hosting;
using Microsoft.Extensions.Options;

namespace AnnotateAnyone.Worker.Training;

/// <summary>
/// Keeps rounds up to date as annotators work. Routes rounds in review again as they add evidence
/// (<see cref="RoutingService.RerouteDueRoundsAsync"/>): an attribute the captioner was not trusted with at the start of
/// a round can earn its threshold part-way through it. Measures again a round finished with reviews open once the
/// last of them is done, and one measured by older rules (<see cref="RoundService.MeasureAgainAsync"/>). Every Worker looks; the routing service
/// lets one of them take each round, and measuring twice writes the same figures.
/// </summary>
internal sealed class RoundUpkeep(RoutingService routing, RoundService rounds, IOptions<RoutingOptions> options, TimeProvider clock, ILogger<RoundUpkeep> log)
    : PeriodicWork(options.Value.RerouteCheckInterval, clock, log)
{
    protected override string Work => "Keeping rounds up to date";

    protected override async Task TickAsync(CancellationToken stoppingToken)
    {
        foreach (var (round, summary) in await routing.RerouteDueRoundsAsync(stoppingToken))
            Log.LogInformation("Routed round {Round} again with its reviews' evidence: {Accepted} more labels accepted from the captioner, " +
                "{Human} left to annotators on {Images} images not yet reviewed", round, summary.AiAcceptedLabels, summary.HumanAttributes, summary.Images);
        foreach (var round in await rounds.MeasureAgainAsync(stoppingToken))
            Log.LogInformation("Measured round {Round} again: the reviews still open when it was finished are done, or it was measured by older rules", round);
    }
}
