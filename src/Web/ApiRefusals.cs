using System.Security.Claims;
using AnnotateAnyone.Web.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;

namespace AnnotateAnyone.Web;

/// <summary>
/// The refusals the framework answers with an empty body on the HTTP API (no endpoint at that path, a method the path
/// does not take, no or a bad token, a role that may not call the endpoint) say what was wrong as problem details, as
/// the endpoints' own refusals do: a script's author reading "404" cannot tell a mistyped path from a missing image.
/// Pages are left to their own answers (the sign-in redirect, the access-denied page).
/// </summary>
public static class ApiRefusals
{
    public static async Task ExplainAsync(StatusCodeContext status)
    {
        var http = status.HttpContext;
        if (!http.Request.Path.StartsWithSegments("/api")) return;
        var request = $"{http.Request.Method} {http.Request.Path}";
        var detail = http.Response.StatusCode switch
        {
            StatusCodes.Status401Unauthorized => await UnauthenticatedAsync(http),
            StatusCodes.Status403Forbidden => await ForbiddenAsync(http),
            StatusCodes.Status404NotFound when http.GetEndpoint() is null =>
                $"No endpoint answers {request}. Ids in paths are whole numbers; the README's HTTP API section lists the endpoints.",
            StatusCodes.Status405MethodNotAllowed =>
                $"{http.Request.Path} does not take {http.Request.Method}; it takes {http.Response.Headers.Allow}.",
            _ => null,
        };
        if (detail is null) return;
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = http.Response.StatusCode, Detail = detail },
        });
    }

    private static async Task<string> UnauthenticatedAsync(HttpContext http)
    {
        // The token handler's own reason (unknown, expired or revoked; owner locked out) where a token was sent. The
        // handler keeps its result for the request, so asking again does not look the token up again.
        var failure = (await http.AuthenticateAsync()).Failure?.Message;
        return failure is not null
            ? $"{failure} Create a new token at /account/tokens."
            : "Sign in, or send 'Authorization: Bearer <token>' with a personal access token from /account/tokens.";
    }

    private static async Task<string> ForbiddenAsync(HttpContext http)
    {
        var needs = await RequiredRoles.DescribeAsync(http.GetEndpoint()?.Metadata ?? [], http.RequestServices.GetRequiredService<IAuthorizationPolicyProvider>());
        var held = http.User.FindAll(ClaimTypes.Role).Select(c => c.Value).Order(StringComparer.Ordinal).ToList();
        var yours = held.Count == 0 ? "Your account has no role" : $"Your roles ({string.Join(", ", held)}) do not include it";
        return needs is null
            ? "Your account may not do this."
            : $"{http.Request.Method} {http.Request.Path} needs {needs}. {yours}: ask an administrator.";
    }
}
