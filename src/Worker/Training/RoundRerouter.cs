using AnnotateAnyone.Data.Routing;
using Microsoft.Extensions.Options;

namespace AnnotateAnyone.Worker.Training;

/// <summary>
/// Routes rounds in review again as annotators add evidence (<see cref="RoutingService.RerouteDueRoundsAsync"/>): an
/// attribute the captioner was not trusted with at the start of a round can earn its threshold part-way through it.
/// Every Worker looks; the routing service lets one of them take each round.
/// </summary>
internal sealed class RoundRerouter(RoutingService routing, IOptions<RoutingOptions> options, TimeProvider clock, ILogger<RoundRerouter> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RerouteCheckInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                await RerouteAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RerouteAsync(CancellationToken stoppingToken)
    {
        try
        {
            foreach (var (round, summary) in await routing.RerouteDueRoundsAsync(stoppingToken))
                log.LogInformation("Routed round {Round} again with its reviews' evidence: {Accepted} more labels accepted from the captioner, " +
                    "{Human} left to annotators on {Images} images not yet reviewed", round, summary.AiAcceptedLabels, summary.HumanAttributes, summary.Images);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A database blip must not stop the Worker; the next look tries again (the round's next growth, at the latest).
            log.LogWarning(e, "Routing rounds again failed");
        }
    }
}
