namespace AnnotateAnyone.Web.Review;

public static class ReviewExtensions
{
    public static IHostApplicationBuilder AddReviewPages(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ImageHistory>();
        return builder;
    }
}
