using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Review;

namespace AnnotateAnyone.Web.Review;

public static class ReviewExtensions
{
    public static IHostApplicationBuilder AddReviewPages(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ImageHistory>();
        builder.Services.AddSingleton<ImageDetails>();
        builder.Services.AddSingleton<ImageSearch>();
        builder.Services.AddSingleton<ReviewRequests>();
        return builder;
    }
}
