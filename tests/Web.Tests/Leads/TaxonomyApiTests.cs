using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AnnotateAnyone.Data.Accounts;
using AnnotateAnyone.Data.Taxonomy;

namespace AnnotateAnyone.Web.Tests.Leads;

public sealed class TaxonomyApiTests(WebApp app) : IClassFixture<WebApp>
{
    [Fact]
    public async Task An_earlier_versions_spec_is_read_back_and_posted_again_to_return_to_it()
    {
        var lead = await app.ApiClientAsync(Roles.DataLead);
        var first = await lead.GetFromJsonAsync<JsonElement>("/api/taxonomy");
        var narrow = new { name = "hair only", note = "a mistake", spec = new { groups = new[] { new { key = "hair", name = "Hair", order = 0, noun = "hair", withArticle = false, parsingClasses = new[] { 2 },
            attributes = new[] { new { key = "color", name = "Colour", kind = 0, isTypeNoun = false, values = new[] { new { key = "red", phrase = "red", marksAbsent = false } } } } } } } };
        Assert.Equal(HttpStatusCode.Created, (await lead.PostAsJsonAsync("/api/taxonomy", narrow)).StatusCode);

        var versions = await lead.GetFromJsonAsync<JsonElement>("/api/taxonomy/versions");
        var earlier = await lead.GetFromJsonAsync<JsonElement>($"/api/taxonomy/versions/{first.GetProperty("number").GetInt32()}");
        var restored = await lead.PostAsJsonAsync("/api/taxonomy", new { name = earlier.GetProperty("name").GetString(), note = "back", spec = earlier.GetProperty("spec") });

        Assert.Equal(["hair only", first.GetProperty("name").GetString()], versions.EnumerateArray().Take(2).Select(v => v.GetProperty("name").GetString()));
        Assert.True(versions[0].GetProperty("isActive").GetBoolean());
        Assert.Equal(HttpStatusCode.Created, restored.StatusCode);
        var active = await lead.GetFromJsonAsync<JsonElement>("/api/taxonomy");
        Assert.Equal(first.GetProperty("spec").GetRawText(), active.GetProperty("spec").GetRawText());
        Assert.Equal(DefaultTaxonomy.Spec.Attributes.Count(), active.GetProperty("spec").GetProperty("groups").EnumerateArray().Sum(g => g.GetProperty("attributes").GetArrayLength()));
    }

    [Fact]
    public async Task The_active_taxonomy_posted_again_is_a_conflict_and_makes_no_version()
    {
        var lead = await app.ApiClientAsync(Roles.DataLead);
        var active = await lead.GetFromJsonAsync<JsonElement>("/api/taxonomy");
        var before = (await lead.GetFromJsonAsync<JsonElement>("/api/taxonomy/versions")).GetArrayLength();

        var again = await lead.PostAsJsonAsync("/api/taxonomy", new { name = "again", note = "a script run twice", spec = active.GetProperty("spec") });

        Assert.StartsWith($"Version {active.GetProperty("number").GetInt32()}, the active one, already is this taxonomy",
            await Problem.DetailAsync(again, HttpStatusCode.Conflict));
        Assert.Equal(before, (await lead.GetFromJsonAsync<JsonElement>("/api/taxonomy/versions")).GetArrayLength());
    }

    [Fact]
    public async Task A_version_that_does_not_exist_is_not_found_by_number()
    {
        var annotator = await app.ApiClientAsync(Roles.Annotator);

        Assert.Equal("Taxonomy version 999 does not exist.", await Problem.DetailAsync(await annotator.GetAsync("/api/taxonomy/versions/999"), HttpStatusCode.NotFound));
    }
}
