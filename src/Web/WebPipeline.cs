namespace AnnotateAnyone.Web;

public static class WebPipeline
{
    /// <summary>How the HTTP API writes JSON beyond the web defaults.</summary>
    public static IHostApplicationBuilder AddApiJson(this IHostApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new UndefinedNumbersAsNull()));
        return builder;
    }

    /// <summary>
    /// Errors as problem details, then who you are, what you may do,
    /// how often you may try to sign in, and antiforgery for every form post.
    /// </summary>
    public static WebApplication UseWebPipeline(this WebApplication app)
    {
        // A request the framework refuses (bad form, antiforgery) keeps its 4xx status instead of becoming a 500.
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = error => error is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();
        return app;
    }
}
