using Microsoft.AspNetCore.Components;

namespace AnnotateAnyone.Web.Components;

/// <summary>
/// A page that reloads its data every second while something it shows is still running. A reload that fails
/// (the database busy for a moment) is logged and tried again at the next tick: an exception escaping here would
/// end the user's circuit and freeze the page on what it showed last.
/// </summary>
public abstract class LiveRefresh : ComponentBase, IDisposable
{
    private readonly CancellationTokenSource _stop = new();

    [Inject] private ILogger<LiveRefresh> Logger { get; set; } = default!;

    protected abstract Task ReloadAsync();

    protected abstract bool StillRunning { get; }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                if (!StillRunning) continue;
                try
                {
                    await ReloadAsync();
                    await InvokeAsync(StateHasChanged);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Logger.LogWarning(e, "Refreshing {Page} failed; trying again in a second.", GetType().Name);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The page was left.
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }
}
