using System.Net;
using AnnotateAnyone.Data.Accounts;

namespace AnnotateAnyone.Web.Tests.Hosting;

/// <summary>Listings read a page at a time refuse a page size outside their range, as the images and the audit trail do.</summary>
public sealed class ListingPageSizeTests(WebApp app) : IClassFixture<WebApp>
{
    [Theory]
    [InlineData("/api/jobs?take=0", "A page holds 1 to 500 job runs.")]
    [InlineData("/api/ingest/runs?take=501", "A page holds 1 to 500 runs.")]
    [InlineData("/api/ingest/runs/1/items?take=5000", "A page holds 1 to 1,000 files.")]
    public async Task A_page_size_outside_the_range_is_refused_naming_the_range(string path, string message)
    {
        // Cut to the range without a word, a script asking for 5,000 files would take the 1,000 it got for all of them.
        var admin = await app.ApiClientAsync(Roles.Admin);

        Assert.Equal(message, await Problem.DetailAsync(await admin.GetAsync(path), HttpStatusCode.BadRequest));
    }
}
