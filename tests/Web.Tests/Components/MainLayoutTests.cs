using AnnotateAnyone.Web.Components.Layout;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MudBlazor.Services;

namespace AnnotateAnyone.Web.Tests.Components;

public sealed class MainLayoutTests : BunitContext, IAsyncLifetime
{
    public MainLayoutTests()
    {
        Services.AddMudServices();
        Services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        JSInterop.Mode = JSRuntimeMode.Loose;
        AddAuthorization().SetAuthorized("lead@example.org");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // The layout's MudBlazor services can only be disposed asynchronously, which xUnit does through IAsyncLifetime.
    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    [Fact]
    public void A_page_that_throws_says_so_inside_the_layout_and_the_navigation_stays()
    {
        var layout = Render<MainLayout>(p => p.Add(l => l.Body, Page<Throws>()));

        Assert.Contains("This page ran into an error", layout.Find("[role=alert]").TextContent);
        Assert.NotEmpty(layout.FindAll("nav a"));
    }

    [Fact]
    public void The_next_page_shows_instead_of_the_last_pages_error()
    {
        var layout = Render<MainLayout>(p => p.Add(l => l.Body, Page<Throws>()));

        layout.Render(p => p.Add(l => l.Body, Page<Fine>()));

        Assert.Empty(layout.FindAll("[role=alert]"));
        Assert.Equal("fine", layout.Find("p.fine").TextContent);
    }

    private static RenderFragment Page<TPage>() where TPage : IComponent => builder =>
    {
        builder.OpenComponent<TPage>(0);
        builder.CloseComponent();
    };

    private sealed class Throws : ComponentBase
    {
        protected override void OnInitialized() => throw new InvalidOperationException("the page's data is broken");
    }

    private sealed class Fine : ComponentBase
    {
        protected override void BuildRenderTree(Microsoft.AspNetCore.Components.Rendering.RenderTreeBuilder builder)
        {
            builder.OpenElement(0, "p");
            builder.AddAttribute(1, "class", "fine");
            builder.AddContent(2, "fine");
            builder.CloseElement();
        }
    }
}
