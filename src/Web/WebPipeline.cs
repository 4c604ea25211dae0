namespace AnnotateAnyone.Web;

public static class WebPipeline
{
    /// <summary>
    /// Errors as problem details (API) or status pages (browser), then who you are, what you may do,
    /// how often you may try to sign in, and antiforgery for every form post.
    /// </summary>
    public static WebApplication UseWebPipeline(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseWhen(context => !IsApi(context.Request.Path), browser => browser.UseStatusCodePagesWithReExecute("/status/{0}"));
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();
        return app;
    }

    private static bool IsApi(PathString path) =>
        path.StartsWithSegments("/api") || path.StartsWithSegments("/health") || path.StartsWithSegments("/hangfire");
}
