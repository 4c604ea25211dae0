using Microsoft.AspNetCore.Components;

namespace AnnotateAnyone.Web.Components;

/// <summary>A page that reloads its data every second while something it shows is still running.</summary>
public abstract class LiveRefresh : ComponentBase, IDisposable
{
    private readonly CancellationTokenSource _stop = new();

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
                await ReloadAsync();
                await InvokeAsync(StateHasChanged);
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
