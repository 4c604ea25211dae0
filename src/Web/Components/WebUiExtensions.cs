using MudBlazor.Services;

namespace AnnotateAnyone.Web.Components;

public static class WebUiExtensions
{
    /// <summary>Blazor (interactive server) with MudBlazor components.</summary>
    public static WebApplicationBuilder AddWebUi(this WebApplicationBuilder builder)
    {
        // Serve the framework's and MudBlazor's files when running from a build output in any environment
        // (tests, ./bench): a published app has them in wwwroot, and this does nothing there.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddMudServices();
        return builder;
    }

    public static WebApplication MapWebUi(this WebApplication app)
    {
        // Stylesheets, scripts and the Blazor framework files must load on the sign-in page too.
        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
