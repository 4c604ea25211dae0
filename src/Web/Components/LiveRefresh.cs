using Microsoft.AspNetCore.Components;

namespace AnnotateAnyone.Web.Components;

/// <summary>
/// A page that reloads its data every second while something it shows is still running, or until its first load
/// succeeds. A load that fails (the database busy for a moment) is logged and tried again at the next tick: an
/// exception escaping here would end the user's circuit and freeze the page on what it showed last, which for a
/// page still loading read "does not exist".
/// </summary>
public abstract class LiveRefresh : ComponentBase, IDisposable
{
    // Cancelled, never disposed, when the page is left: a reload in flight at that moment reads it afterwards, and
    // a disposed source would throw there, out of the render loop, and end the user's circuit.
    private readonly CancellationTokenSource _left = new();

    [Inject] private ILogger<LiveRefresh> Logger { get; set; } = default!;

    protected abstract Task ReloadAsync();

    protected abstract bool StillRunning { get; }

    /// <summary>Whether the page's data has been read once: until then it says it is loading, not that nothing exists.</summary>
    protected bool Loaded { get; private set; }

    /// <summary>The first load; pages whose data depends on route parameters load again when those change.</summary>
    protected override Task OnParametersSetAsync() => RefreshAsync();

    private async Task RefreshAsync()
    {
        try
        {
            await ReloadAsync();
            Loaded = true;
        }
        // A cancelled load is retried too: Blazor drops a cancelled lifecycle task without rendering again, and a
        // cancellation escaping the tick loop would end it, either way leaving the page frozen. Once the page is left
        // a failed load has nothing to show and is dropped.
        catch (Exception e)
        {
            if (!_left.IsCancellationRequested) Logger.LogWarning(e, "Loading {Page} failed; trying again in a second.", GetType().Name);
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(_left.Token))
            {
                if (Loaded && !StillRunning) continue;
                await RefreshAsync();
                await InvokeAsync(StateHasChanged);
            }
        }
        catch (OperationCanceledException) when (_left.IsCancellationRequested)
        {
            // The page was left.
        }
    }

    public void Dispose()
    {
        _left.Cancel();
        GC.SuppressFinalize(this);
    }
}
