using System.Threading.RateLimiting;
using AnnotateAnyone.Data.Accounts;
using AnnotateAnyone.Data.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
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

        builder.Services.AddIdentityCore<AppUser>(identity =>
            {
                identity.User.RequireUniqueEmail = true;
                identity.Password.RequiredLength = 10;
                identity.Password.RequireNonAlphanumeric = false;
                identity.Password.RequireUppercase = false;
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
    /// API callers get 401; a browser without a session goes to the sign-in page. A signed-in user who lacks
    /// the role gets a real 403 (the status-code page renders the access-denied page for browsers).
    /// </summary>
    private static Task RespondOrRedirect(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (status == StatusCodes.Status403Forbidden || context.Request.Path.StartsWithSegments("/api"))
            context.Response.StatusCode = status;
        else
            context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
