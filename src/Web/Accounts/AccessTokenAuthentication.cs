using System.Security.Claims;
using System.Text.Encodings.Web;
using AnnotateAnyone.Data.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace AnnotateAnyone.Web.Accounts;

/// <summary>Authenticates "Authorization: Bearer aat_..." requests as the token's owner, with the owner's roles.</summary>
internal sealed class AccessTokenAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AccessTokens tokens,
    UserManager<AppUser> users,
    IUserClaimsPrincipalFactory<AppUser> principals) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "AccessToken";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!TryReadBearer(Request, out var secret)) return AuthenticateResult.NoResult();
        var userId = await tokens.ValidateAsync(secret, Context.RequestAborted);
        if (userId is null) return AuthenticateResult.Fail("The access token is unknown, expired or revoked.");

        var user = await users.FindByIdAsync(userId.Value.ToString());
        if (user is null || await users.IsLockedOutAsync(user)) return AuthenticateResult.Fail("The token's owner cannot sign in.");
        var principal = await principals.CreateAsync(user);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(principal.Identities), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }

    public static bool TryReadBearer(HttpRequest request, out string secret)
    {
        var header = request.Headers.Authorization.ToString();
        secret = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : "";
        return secret.Length > 0;
    }
}
