namespace AnnotateAnyone.Web;

/// <summary>
/// HEAD is answered wherever GET is, as HTTP asks of every server (RFC 9110, 9.3.2): monitors and download tools ask
/// for a resource's headers (curl -I, wget -c, aria2) and were told 405. Routing matches a HEAD as the GET it stands
/// for; the endpoint then runs seeing HEAD again, so file results send their headers alone and the server drops any
/// other body.
/// </summary>
public static class HeadRequests
{
    private static readonly object AskedForHead = new();

    public static WebApplication UseRoutingThatAnswersHead(this WebApplication app)
    {
        app.Use((http, next) =>
        {
            if (HttpMethods.IsHead(http.Request.Method))
            {
                http.Request.Method = HttpMethods.Get;
                http.Items[AskedForHead] = true;
            }
            return next(http);
        });
        app.UseRouting();
        app.Use((http, next) =>
        {
            if (http.Items.Remove(AskedForHead)) http.Request.Method = HttpMethods.Head;
            return next(http);
        });
        return app;
    }
}
