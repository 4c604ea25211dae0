using AnnotateAnyone.Data.Routing;
using AnnotateAnyone.Worker.Hosting;
using Microsoft.Extensions.Options;

namespace AnnotateAnyone.Worker.Training;

/// <summary>
/// Routes rounds in review again as annotators add evidence (<see cref="RoutingService.RerouteDueRoundsAsync"/>): an
/// attribute the captioner was not trusted with at the start of a round can earn its threshold part-way through it.
/// Every Worker looks; the routing service lets one of them take each round.
/// </summary>
internal sealed class RoundRerouter(RoutingService routing, IOptions<RoutingOptions> options, TimeProvider clock, ILogger<RoundRerouter> log)
    : PeriodicWork(options.Value.RerouteCheckInterval, clock, log)
{
    protected override string Work => "Routing rounds again";

    protected override async Task TickAsync(CancellationToken stoppingToken)
    {
        foreach (var (round, summary) in await routing.RerouteDueRoundsAsync(stoppingToken))
            Log.LogInformation("Routed round {Round} again with its reviews' evidence: {Accepted} more labels accepted from the captioner, " +
                "{Human} left to annotators on {Images} images not yet reviewed", round, summary.AiAcceptedLabels, summary.HumanAttributes, summary.Images);
    }
}
