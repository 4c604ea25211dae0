using AnnotateAnyone.Web.Components;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AnnotateAnyone.Web.Tests.Components;

public sealed class LiveRefreshTests : BunitContext
{
    [Fact]
    public async Task A_reload_that_fails_is_tried_again_and_the_page_keeps_updating()
    {
        Services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        var page = Render<Flaky>();

        await page.WaitForAssertionAsync(() => Assert.Equal("3", page.Find("p").TextContent), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_page_whose_first_load_fails_says_it_is_loading_and_shows_its_data_once_a_retry_succeeds()
    {
        Services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        var page = Render<FailsFirstLoads>(p => p.Add(c => c.Failure, () => new TimeoutException("the database is busy")));

        Assert.Equal("loading", page.Find("p").TextContent);
        await page.WaitForAssertionAsync(() => Assert.Equal("release 1.0", page.Find("p").TextContent), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_load_that_is_cancelled_is_tried_again_rather_than_ending_the_refreshing()
    {
        Services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        var page = Render<FailsFirstLoads>(p => p.Add(c => c.Failure, () => new TaskCanceledException("a query gave up")));

        await page.WaitForAssertionAsync(() => Assert.Equal("release 1.0", page.Find("p").TextContent), TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Leaving_a_page_while_it_reloads_ends_its_refreshing_without_an_error(bool reloadFails)
    {
        Services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        var page = Render<LeftWhileReloading>().Instance;
        await page.TickReloadStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await DisposeComponentsAsync();
        page.FinishReload(reloadFails ? new TimeoutException("the database gave up") : null);

        Assert.Null(await page.RefreshingEnded.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    /// <summary>
    /// A release page whose first loads fail, as they did under a full test run's load: it said "does not exist" for
    /// good, and later, when a load was cancelled, "loading" for good.
    /// </summary>
    private sealed class FailsFirstLoads : LiveRefresh
    {
        private int _loads;
        private string? _release;

        [Parameter] public Func<Exception> Failure { get; set; } = default!;

        protected override bool StillRunning => false;

        // The first load runs when the parameters are set, the second at the first tick: both fail.
        protected override Task ReloadAsync()
        {
            if (++_loads <= 2) throw Failure();
            _release = "release 1.0";
            return Task.CompletedTask;
        }

        protected override void BuildRenderTree(Microsoft.AspNetCore.Components.Rendering.RenderTreeBuilder builder)
        {
            builder.OpenElement(0, "p");
            builder.AddContent(1, Loaded ? _release ?? "does not exist" : "loading");
            builder.CloseElement();
        }
    }

    /// <summary>A page whose first reload fails, as a database under load can.</summary>
    private sealed class Flaky : LiveRefresh
    {
        private int _reloads;

        protected override bool StillRunning => _reloads < 3;

        protected override Task ReloadAsync() =>
            ++_reloads == 1 ? throw new TimeoutException("the database is busy") : Task.CompletedTask;

        protected override void BuildRenderTree(Microsoft.AspNetCore.Components.Rendering.RenderTreeBuilder builder)
        {
            builder.OpenElement(0, "p");
            builder.AddContent(1, _reloads);
            builder.CloseElement();
        }
    }

    /// <summary>A page showing something still running, left while a tick's reload is waiting on the database.</summary>
    private sealed class LeftWhileReloading : LiveRefresh
    {
        private readonly TaskCompletionSource _reload = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _loads;

        public TaskCompletionSource TickReloadStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes when the refreshing started after the first render ends, with what it threw, if anything.</summary>
        public TaskCompletionSource<Exception?> RefreshingEnded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void FinishReload(Exception? failure)
        {
            if (failure is null) _reload.SetResult();
            else _reload.SetException(failure);
        }

        protected override bool StillRunning => true;

        protected override Task ReloadAsync()
        {
            if (++_loads == 1) return Task.CompletedTask;
            TickReloadStarted.TrySetResult();
            return _reload.Task;
        }

        protected override async Task OnAfterRenderAsync(bool firstRender)
        {
            try
            {
                await base.OnAfterRenderAsync(firstRender);
                if (firstRender) RefreshingEnded.TrySetResult(null);
            }
            catch (Exception e)
            {
                RefreshingEnded.TrySetResult(e);
                throw;
            }
        }

        protected override void BuildRenderTree(Microsoft.AspNetCore.Components.Rendering.RenderTreeBuilder builder) => builder.AddContent(0, _loads);
    }
}
