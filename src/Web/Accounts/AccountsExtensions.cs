using System.Threading.RateLimiting;
using AnnotateAnyone.Data.Accounts;
using AnnotateAnyone.Data.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace AnnotateAnyone.Web.Accounts;

public static class AccountsExtensions
{
    public const string SignInRateLimit = "sign-in";

    /// <summary>
    /// ASP.NET Core Identity in PostgreSQL; cookies for browsers and personal access tokens for API clients;
    /// role policies with a deny-by-default fallback; lockout and a per-address rate limit on sign-in.
    /// </summary>
    public static IHostApplicationBuilder AddAccounts(this IHostApplicationBuilder builder)
    {
        var accounts = builder.Configuration.GetSection(AccountsOptions.Section).Get<AccountsOptions>() ?? new AccountsOptions();
        builder.Services.AddOptions<AccountsOptions>()
            .Bind(builder.Configuration.GetSection(AccountsOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Keys in PostgreSQL: sessions survive restarts and deployments, and every Web replica accepts them.
        builder.Services.AddDataProtection().PersistKeysToDbContext<AnnotateDbContext>().SetApplicationName("annotate-anyone");

        builder.Services.AddIdentityCore<AppUser>(identity =>
            {
                identity.User.RequireUniqueEmail = true;
                // Length over composition rules (NIST SP 800-63B): passphrases are welcome.
                identity.Password.RequiredLength = 10;
                identity.Password.RequireNonAlphanumeric = false;
                identity.Password.RequireUppercase = false;
                identity.Password.RequireDigit = false;
                identity.Password.RequireLowercase = false;
                identity.Lockout.MaxFailedAccessAttempts = accounts.MaxFailedAttempts;
                identity.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(accounts.LockoutMinutes);
                identity.Lockout.AllowedForNewUsers = true;
            })
            .AddRoles<AppRole>()
            .AddEntityFrameworkStores<AnnotateDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();

        // A request that carries a bearer token is judged by the token alone; everything else by the cookie.
        builder.Services.AddAuthentication(options =>
            {
                options.DefaultScheme = CookieOrToken;
                options.DefaultChallengeScheme = CookieOrToken;
                options.DefaultForbidScheme = CookieOrToken;
                options.DefaultSignInScheme = IdentityConstants.ApplicationScheme;
            })
            .AddPolicyScheme(CookieOrToken, "Session cookie or access token", scheme =>
                scheme.ForwardDefaultSelector = context => AccessTokenAuthentication.TryReadBearer(context.Request, out _)
                    ? AccessTokenAuthentication.SchemeName
                    : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, AccessTokenAuthentication>(AccessTokenAuthentication.SchemeName, null)
            .AddIdentityCookies();

        builder.Services.ConfigureApplicationCookie(cookie =>
        {
            cookie.LoginPath = "/account/login";
            cookie.AccessDeniedPath = "/account/access-denied";
            cookie.Cookie.Name = "annotate.session";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = accounts.RequireHttpsCookies ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(12);
            cookie.SlidingExpiration = true;
            cookie.Events.OnRedirectToLogin = context => RespondOrRedirect(context, StatusCodes.Status401Unauthorized);
            cookie.Events.OnRedirectToAccessDenied = context => RespondOrRedirect(context, StatusCodes.Status403Forbidden);
        });
        // Role changes and locks reach signed-in browsers within a minute.
        builder.Services.Configure<SecurityStampValidatorOptions>(options => options.ValidationInterval = TimeSpan.FromMinutes(1));

        builder.Services.AddAuthorization(Policies.Add);
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(SignInRateLimit, context =>
            {
                var perMinute = context.RequestServices.GetRequiredService<IOptions<AccountsOptions>>().Value.SignInAttemptsPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
            });
        });

        builder.Services.AddSingleton<AccessTokens>();
        builder.Services.AddSingleton<UserDirectory>();
        builder.Services.AddHostedService<BootstrapAdmin>();
        return builder;
    }

    private const string CookieOrToken = nameof(CookieOrToken);

    /// <summary>
    /// API callers get a bare 401 or 403; a browser without a session goes to the sign-in page, and a signed-in
    /// person who lacks the role gets a real 403 with a page that says so.
    /// </summary>
    private static Task RespondOrRedirect(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        var isApi = context.Request.Path.StartsWithSegments("/api");
        if (status == StatusCodes.Status401Unauthorized && !isApi)
        {
            context.Response.Redirect(context.RedirectUri);
            return Task.CompletedTask;
        }
        context.Response.StatusCode = status;
        if (isApi) return Task.CompletedTask;
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(AccessDeniedPage);
    }

    private const string AccessDeniedPage = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Access denied · Annotate Anyone</title>
        <link rel="stylesheet" href="/app.css"></head>
        <body><main class="account-page"><div class="account-card">
        <p class="brand">Annotate Anyone</p>
        <h1>Access denied</h1>
        <p>Your account does not have a role that may open this page. Ask an administrator if you need it.</p>
        <p><a href="/">Back to the start page</a></p>
        </div></main></body></html>
        """;
}
