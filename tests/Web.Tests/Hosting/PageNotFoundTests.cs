using System.Net;
using AnnotateAnyone.Data.Accounts;

namespace AnnotateAnyone.Web.Tests.Hosting;

/// <summary>A page address nothing answers, typed or bookmarked, as a signed-in browser asks for it.</summary>
public sealed class PageNotFoundTests(WebApp app) : IClassFixture<WebApp>
{
    [Theory]
    [InlineData("/rounds")]
    [InlineData("/releases/abc")]
    public async Task An_address_no_page_answers_loads_the_app_with_its_404_so_the_router_shows_the_not_found_page(string path)
    {
        var browser = await app.SignedInAsync(Roles.DataLead);

        var response = await browser.GetAsync(path);

        // An empty 404 shows the browser's own error page; the app's page is rendered in the browser (no prerendering).
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("_framework/blazor.web.js", await response.Content.ReadAsStringAsync());
    }
}
