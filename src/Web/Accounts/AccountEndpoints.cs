using AnnotateAnyone.Data.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace AnnotateAnyone.Web.Accounts;

public static class AccountEndpoints
{
    public sealed class SignInForm
    {
        public string? Email { get; init; }
        public string? Password { get; init; }
        public string? ReturnUrl { get; init; }
        public bool RememberMe { get; init; }
    }

    /// <summary>
    /// Sign-in and sign-out as plain form posts (antiforgery-checked), so the session cookie is set on an
    /// ordinary HTTP response rather than over a Blazor circuit.
    /// </summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/account");
        account.MapPost("/sign-in", SignInAsync).AllowAnonymous().RequireRateLimiting(AccountsExtensions.SignInRateLimit);
        account.MapPost("/sign-out", async Task<RedirectHttpResult> (SignInManager<AppUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return TypedResults.Redirect("/account/login");
        });
        return app;
    }

    private static async Task<RedirectHttpResult> SignInAsync([FromForm] SignInForm form, SignInManager<AppUser> signIn, ILoggerFactory logs)
    {
        var returnUrl = IsLocal(form.ReturnUrl) ? form.ReturnUrl! : "/";
        if (string.IsNullOrWhiteSpace(form.Email) || string.IsNullOrEmpty(form.Password))
            return BackToLogin("missing", form.Email, returnUrl);

        var result = await signIn.PasswordSignInAsync(form.Email.Trim(), form.Password, form.RememberMe, lockoutOnFailure: true);
        if (result.Succeeded) return TypedResults.LocalRedirect(returnUrl);

        logs.CreateLogger("Accounts").LogWarning("Failed sign-in for {Email} (locked out: {Locked})", form.Email, result.IsLockedOut);
        return BackToLogin(result.IsLockedOut ? "locked" : "invalid", form.Email, returnUrl);
    }

    private static RedirectHttpResult BackToLogin(string error, string? email, string returnUrl) =>
        TypedResults.Redirect($"/account/login?error={error}&email={Uri.EscapeDataString(email ?? "")}&returnUrl={Uri.EscapeDataString(returnUrl)}");

    /// <summary>Only same-site paths: an open redirect after sign-in is a phishing tool.</summary>
    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);
}
