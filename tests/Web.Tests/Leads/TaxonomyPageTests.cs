using AnnotateAnyone.Data.Taxonomy;
using AnnotateAnyone.Web.Components.Leads;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace AnnotateAnyone.Web.Tests.Leads;

/// <summary>The taxonomy editor on a real database (bUnit): each change makes a new active version.</summary>
public sealed class TaxonomyPageTests(TestDatabase database) : BunitContext, IClassFixture<TestDatabase>, IAsyncLifetime
{
    private IRenderedComponent<TaxonomyPage> Render()
    {
        Services.AddSingleton(database.Taxonomy());
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
        AddAuthorization().SetAuthorized("lead@example.org");
        var page = Render<TaxonomyPage>();
        page.WaitForState(() => page.FindComponents<MudSelect<string>>().Count >= 3, TimeSpan.FromSeconds(20));
        return page;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor's services can only be disposed asynchronously, which xUnit does through IAsyncLifetime.
    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    [Fact]
    public async Task A_lead_rewords_a_value_retires_it_then_retires_an_attribute_and_each_change_is_a_new_active_version()
    {
        var page = Render();
        var before = await database.Taxonomy().GetActiveAsync();
        await ChooseAsync(page, "Attribute of the value", "hair.color");
        await ChooseAsync(page, "Value", "blonde");
        // The words start from the value's present ones.
        var words = page.FindComponents<MudTextField<string>>().Single(f => f.Instance.Label == "New caption words");
        Assert.Equal("blonde", words.Find("input").GetAttribute("value"));
        await words.InvokeAsync(() => words.Instance.ValueChanged.InvokeAsync("golden blonde"));

        await Click(page, "Create version with these words");

        var reworded = await database.Taxonomy().GetActiveAsync();
        Assert.Equal(before.Number + 1, reworded.Number);
        Assert.Equal("golden blonde", TaxonomyIndex.FindValue(new TaxonomyIndex(reworded).Find("hair.color")!, "blonde")!.Phrase);
        Assert.Equal("reworded hair.color.blonde as \"golden blonde\"", reworded.ChangeNote);

        await Click(page, "Create version without this value");

        var retired = await database.Taxonomy().GetActiveAsync();
        Assert.Equal(before.Number + 2, retired.Number);
        Assert.Null(TaxonomyIndex.FindValue(new TaxonomyIndex(retired).Find("hair.color")!, "blonde"));
        page.WaitForAssertion(() => Assert.Contains("Version " + retired.Number, page.Markup));

        await ChooseAsync(page, "Attribute to retire", "style.season");
        await Click(page, "Create version without this attribute");

        var withoutSeason = new TaxonomyIndex(await database.Taxonomy().GetActiveAsync());
        Assert.Equal(("retired style.season", null), (withoutSeason.Version.ChangeNote, withoutSeason.Find("style.season")));
    }

    [Fact]
    public async Task Retiring_without_choosing_a_value_or_the_none_of_a_garment_makes_no_version_and_says_why()
    {
        var page = Render();
        var before = await database.Taxonomy().GetActiveAsync();

        await Click(page, "Create version without this value");
        await ChooseAsync(page, "Attribute of the value", "coat.type");
        await ChooseAsync(page, "Value", "none");
        await Click(page, "Create version without this value");

        Assert.Equal(before.Id, (await database.Taxonomy().GetActiveAsync()).Id);
        var snackbar = Services.GetRequiredService<ISnackbar>();
        Assert.Contains(snackbar.ShownSnackbars, s => s.Message == "Choose an attribute and one of its values first.");
        Assert.Contains(snackbar.ShownSnackbars, s => s.Message?.Contains("'coat.type.none' says the group is not in the picture; it cannot be retired.") == true);
    }

    [Fact]
    public void The_active_version_lists_each_group_once_with_where_it_lives_on_the_person()
    {
        var page = Render();

        var groups = page.FindAll("table[aria-label='Groups and attributes of the active version'] th[scope=rowgroup]");
        Assert.Equal(groups.Count, groups.Select(g => g.TextContent).Distinct().Count());
        var hair = groups.Single(g => g.TextContent == "Hair");
        Assert.Equal(("3", "Hair"), (hair.GetAttribute("rowspan"), hair.NextElementSibling!.TextContent));
        Assert.Equal("the whole person", groups.Single(g => g.TextContent == "Shot").NextElementSibling!.TextContent);
    }

    private static Task ChooseAsync(IRenderedComponent<TaxonomyPage> page, string label, string value)
    {
        var select = page.FindComponents<MudSelect<string>>().Single(s => s.Instance.Label == label);
        return select.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(value));
    }

    private static Task Click(IRenderedComponent<TaxonomyPage> page, string text) =>
        page.FindAll("button").Single(b => b.TextContent.Trim() == text).ClickAsync(new());
}
