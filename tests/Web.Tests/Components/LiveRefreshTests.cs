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
