using AnnotateAnyone.Data.Audit;
using AnnotateAnyone.Web.Components.Audit;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace AnnotateAnyone.Web.Tests.Audit;

/// <summary>The audit trail page on a real database (bUnit).</summary>
public sealed class AuditPageTests : BunitContext, IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    // MudBlazor's services can only be disposed asynchronously, which xUnit does through IAsyncLifetime.
    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await _database.DisposeAsync();
    }

    private IRenderedComponent<AuditPage> Render(string address = "/audit")
    {
        Services.AddSingleton(new AuditLog(_database.Contexts));
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
        AddAuthorization().SetAuthorized("lead@example.org");
        Services.GetRequiredService<NavigationManager>().NavigateTo(address);
        var page = Render<AuditPage>();
        page.WaitForState(() => page.FindAll("tbody tr").Count > 0 || page.FindAll("[role=alert]").Count > 0, TimeSpan.FromSeconds(20));
        return page;
    }

    [Fact]
    public async Task The_filter_in_the_address_lists_matching_entries_each_subject_linked_where_a_page_shows_it()
    {
        var trail = new AuditTrail(_database.Contexts);
        await trail.RecordAsync("system", "release.published", "release", "4", new { Images = 10 });
        await trail.RecordAsync("system", "review.requested", "image", "12", null);

        var page = Render("/audit?action=review.");

        var cells = page.FindAll("tbody tr td");
        Assert.Equal(["system", "review.requested", "image 12"], cells.Skip(1).Take(3).Select(c => c.TextContent));
        Assert.Equal("/images/12/history", page.Find("tbody a").GetAttribute("href"));
    }

    [Fact]
    public void A_filter_chosen_on_the_page_goes_into_the_address()
    {
        var page = Render();

        page.FindAll("input")[0].Change("gold.");
        page.Find("select").Change("image");
        page.Find("form").Submit();

        Assert.Equal("?action=gold.&subjectType=image", new Uri(Services.GetRequiredService<NavigationManager>().Uri).Query);
    }
}
