using AnnotateAnyone.Data.Audit;
using AnnotateAnyone.Web.Components.Audit;
using AnnotateAnyone.Web.Tests.Components;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace AnnotateAnyone.Web.Tests.Audit;

/// <summary>The audit trail page on a real database (bUnit).</summary>
public sealed class AuditPageTests : PageOnDatabase
{
    private IRenderedComponent<AuditPage> Render(string address = "/audit")
    {
        Services.AddSingleton(new AuditLog(Database.Contexts));
        return RenderAt<AuditPage>(address, page => page.FindAll("tbody tr").Count > 0 || page.FindAll("[role=alert]").Count > 0);
    }

    [Fact]
    public async Task The_filter_in_the_address_lists_matching_entries_each_subject_linked_where_a_page_shows_it()
    {
        var trail = new AuditTrail(Database.Contexts);
        await trail.RecordAsync("system", "release.published", "release", "4", new { Images = 10 });
        await trail.RecordAsync("system", "review.requested", "image", "12", null);

        var page = Render("/audit?action=review.");

        var cells = page.FindAll("tbody tr td");
        Assert.Equal(["system", "review.requested", "image 12"], cells.Skip(1).Take(3).Select(c => c.TextContent));
        Assert.Equal("/images/12/history", page.Find("tbody a").GetAttribute("href"));
    }

    [Fact]
    public async Task An_entry_about_a_user_names_them_by_email_and_their_email_finds_their_entries()
    {
        var lead = await Database.AddUserAsync("lead@example.org");
        var other = await Database.AddUserAsync("other@example.org");
        var trail = new AuditTrail(Database.Contexts);
        await trail.RecordAsync("system", "user.locked", "user", lead.ToString());
        await trail.RecordAsync("system", "user.locked", "user", other.ToString());

        var page = Render("/audit?subjectId=lead@example.org");

        var subject = Assert.Single(page.FindAll("tbody tr")).Children[3];
        Assert.Equal(("user lead@example.org", lead.ToString()), (subject.TextContent, subject.GetAttribute("title")));
    }

    [Fact]
    public async Task Details_read_as_one_named_field_per_line_with_the_json_in_the_title()
    {
        var trail = new AuditTrail(Database.Contexts);
        await trail.RecordAsync("system", "user.roles_changed", "user", "a-user", new { Before = new[] { "Annotator" }, After = new[] { "Annotator", "DataLead" }, Locked = false, Removed = Array.Empty<string>() });

        var page = Render("/audit?action=user.roles_changed");

        var details = Assert.Single(page.FindAll("tbody tr")).Children[4];
        Assert.Equal(["after Annotator, DataLead", "before Annotator", "locked no", "removed none"],
            details.QuerySelectorAll("div").Select(line => line.TextContent.Trim()).Order());
        Assert.Contains("\"After\"", details.GetAttribute("title"));
    }

    [Fact]
    public async Task A_filter_chosen_on_the_page_goes_into_the_address()
    {
        var page = Render();

        // Each event is awaited: the renderer may still be busy, and an event raised without waiting runs when it is free.
        await page.FindAll("input")[0].ChangeAsync("gold.");
        await page.Find("select").ChangeAsync("image");
        await page.Find("form").SubmitAsync(new());

        Assert.Equal("?action=gold.&subjectType=image", Address.Query);
    }
}
