namespace AnnotateAnyone.Worker.Hosting;

/// <summary>
/// Work a Worker does on a timer until it stops (its heartbeat, routing rounds again). A failed tick is logged and
/// the next one tries again: a database blip must not stop the Worker.
/// </summary>
internal abstract class PeriodicWork(TimeSpan interval, TimeProvider clock, ILogger log) : BackgroundService
{
    protected TimeProvider Clock => clock;

    protected ILogger Log => log;

    /// <summary>What a tick does, for the warning when one fails.</summary>
    protected abstract string Work { get; }

    protected abstract Task TickAsync(CancellationToken stoppingToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await TickAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogWarning(e, "{Work} failed; the next tick tries again", Work);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
