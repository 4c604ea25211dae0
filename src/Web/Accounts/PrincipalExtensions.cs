using System.Security.Claims;

namespace AnnotateAnyone.Web.Accounts;

public static class PrincipalExtensions
{
    /// <summary>The signed-in user's id. Only called behind authorization, where it is always present.</summary>
    public static Guid UserId(this ClaimsPrincipal user) =>
        Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("The request has no signed-in user."));
}
