using System.Net;
using System.Net.Http.Json;
using AnnotateAnyone.Data.Accounts;
using AnnotateAnyone.Data.Images;

namespace AnnotateAnyone.Web.Tests.Review;

/// <summary>
/// A platform that serves no gold item and gives the given share of reviews a second one, so a test's claims get the
/// items it queued.
/// </summary>
public abstract class ReviewWebApp(double doubleReviewShare) : WebApp
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Review:DoubleReviewShare"] = doubleReviewShare.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Review:GoldShare"] = "0",
    };

    /// <summary>An image waiting for review with an outside model's proposals, sent as a data lead would.</summary>
    public async Task<long> QueueImageAsync(params (string Attribute, string Value, double Confidence)[] proposals)
    {
        var image = (await ImageRows.AddAsync(Database.DataSource, ImageStatus.Ingested))[0];
        var lead = await ApiClientAsync(Roles.DataLead);
        var sent = await lead.PostAsJsonAsync("/api/proposals?model=tagger&version=1",
            proposals.Select(p => new { image, attribute = p.Attribute, values = new[] { p.Value }, confidence = p.Confidence }));
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        return image;
    }
}

/// <summary>Each claim is the item a test queued: no second reviews.</summary>
public sealed class SingleReviewWebApp() : ReviewWebApp(0);

/// <summary>Every review gets a second one, so two reviews that differ make an adjudication.</summary>
public sealed class DoubleReviewWebApp() : ReviewWebApp(1);
