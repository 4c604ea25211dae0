namespace AnnotateAnyone.Web;

/// <summary>
/// Routes that answer a file's bytes take HEAD as well as GET: download tools (wget -c, aria2, curl -I) ask for a
/// file's size and whether it takes byte ranges before they read it, and were told the file did not exist. The file
/// results send the headers alone for HEAD.
/// </summary>
public static class FileRoutes
{
    public static RouteHandlerBuilder MapGetFile(this IEndpointRouteBuilder routes, string pattern, Delegate handler) =>
        routes.MapMethods(pattern, [HttpMethods.Get, HttpMethods.Head], handler);
}
