using AnnotateAnyone.Web.Components;
using Bunit;
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
        var page = Render<FailsFirstLoad>();

        Assert.Equal("loading", page.Find("p").TextContent);
        await page.WaitForAssertionAsync(() => Assert.Equal("release 1.0", page.Find("p").TextContent), TimeSpan.FromSeconds(10));
    }

    /// <summary>A release page whose first load fails, as one did under a full test run's load: it said "does not exist" for good.</summary>
    private sealed class FailsFirstLoad : LiveRefresh
    {
        private int _loads;
        private string? _release;

        protected override bool StillRunning => false;

        protected override Task ReloadAsync()
        {
            if (++_loads == 1) throw new TimeoutException("the database is busy");
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
}
