using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using AnnotateAnyone.Data.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AnnotateAnyone.Web.Accounts;

/// <summary>User and token management over HTTP: admins manage everyone, anyone manages their own tokens.</summary>
public static class UsersApi
{
    public sealed record NewUser([Required] string Email, [Required] string Password, string[]? Roles, string? DisplayName);
    public sealed record RoleChange([Required] string[] Roles);
    public sealed record NewToken([Required] string Name, int? ExpiresInDays);
    public sealed record TokenView(int Id, Guid UserId, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt,
        DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt)
    {
        public static TokenView From(AccessToken t) => new(t.Id, t.UserId, t.Name, t.Prefix, t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt);
    }
    public sealed record CreatedToken(TokenView Token, string Secret);

    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/users").RequireAuthorization(Policies.Administer).WithTags("Users");
        users.MapGet("/", async (UserDirectory directory, CancellationToken ct) => TypedResults.Ok(await directory.ListAsync(ct)))
            .WithSummary("Users and their roles");
        users.MapPost("/", CreateUserAsync).WithSummary("Create a user");
        users.MapPut("/{id:guid}/roles", async Task<Results<Ok<UserSummary>, ProblemHttpResult>> (Guid id, RoleChange change, UserDirectory directory, ClaimsPrincipal me, CancellationToken ct) =>
            await Attempt(() => directory.SetRolesAsync(id, change.Roles, me.UserId().ToString(), ct)))
            .WithSummary("Set a user's roles");
        users.MapPost("/{id:guid}/lock", async Task<Results<Ok<UserSummary>, ProblemHttpResult>> (Guid id, UserDirectory directory, ClaimsPrincipal me, CancellationToken ct) =>
            await Attempt(() => directory.SetLockedAsync(id, true, me.UserId().ToString(), ct)))
            .WithSummary("Lock a user out");
        users.MapPost("/{id:guid}/unlock", async Task<Results<Ok<UserSummary>, ProblemHttpResult>> (Guid id, UserDirectory directory, ClaimsPrincipal me, CancellationToken ct) =>
            await Attempt(() => directory.SetLockedAsync(id, false, me.UserId().ToString(), ct)))
            .WithSummary("Let a locked user in again");
        users.MapGet("/{id:guid}/tokens", async Task<IResult> (Guid id, AccessTokens tokens, UserDirectory directory, CancellationToken ct) =>
            await directory.ExistsAsync(id, ct) ? TypedResults.Ok((await tokens.ListAsync(id, ct)).Select(TokenView.From)) : Problems.NotFound(UnknownUserException.MessageFor(id)))
            .Produces<IEnumerable<TokenView>>()
            .WithSummary("A user's access tokens");

        var tokens = app.MapGroup("/api/tokens").WithTags("Tokens");
        tokens.MapGet("/", async (AccessTokens all, ClaimsPrincipal me, CancellationToken ct) =>
            TypedResults.Ok((await all.ListAsync(me.UserId(), ct)).Select(TokenView.From)))
            .WithSummary("Your access tokens");
        tokens.MapPost("/", CreateTokenAsync).WithSummary("Create an access token (its secret is shown once)");
        tokens.MapDelete("/{id:int}", RevokeTokenAsync).WithSummary("Revoke an access token");
        return app;
    }

    private static async Task<Results<Created<UserSummary>, ProblemHttpResult>> CreateUserAsync(
        NewUser user, UserDirectory directory, ClaimsPrincipal me, CancellationToken ct)
    {
        var result = await Attempt(() => directory.CreateAsync(user.Email, user.Password, user.Roles ?? [], user.DisplayName, me.UserId().ToString(), ct));
        return result.Result switch
        {
            Ok<UserSummary> ok => TypedResults.Created($"/api/users/{ok.Value!.Id}", ok.Value),
            ProblemHttpResult problem => problem,
            _ => throw new InvalidOperationException(),
        };
    }

    private static async Task<Results<Ok<CreatedToken>, ProblemHttpResult>> CreateTokenAsync(
        NewToken request, AccessTokens tokens, ClaimsPrincipal me, CancellationToken ct)
    {
        if (request.ExpiresInDays is <= 0 or > AccessTokens.MaxLifetimeDays)
            return Problems.BadRequest($"'expiresInDays' must be between 1 and {AccessTokens.MaxLifetimeDays}, or left out for a token that does not expire.");
        try
        {
            var lifetime = request.ExpiresInDays is { } days ? TimeSpan.FromDays(days) : (TimeSpan?)null;
            var created = await tokens.CreateAsync(me.UserId(), request.Name, lifetime, me.UserId(), ct);
            return TypedResults.Ok(new CreatedToken(TokenView.From(created.Token), created.Secret));
        }
        catch (ArgumentException e)
        {
            return Problems.BadRequest(e.Message);
        }
    }

    /// <summary>Users revoke their own tokens; admins revoke anyone's.</summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeTokenAsync(
        int id, AccessTokens tokens, ClaimsPrincipal me, CancellationToken ct)
    {
        var token = await tokens.FindAsync(id, ct);
        if (token is null) return Problems.NotFound($"Access token {id} does not exist.");
        if (token.UserId != me.UserId() && !me.IsInRole(Roles.Admin))
            return Problems.Forbidden($"Access token {id} is another user's: only its owner or an administrator may revoke it.");
        await tokens.RevokeAsync(id, me.UserId(), ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<UserSummary>, ProblemHttpResult>> Attempt(Func<Task<UserSummary>> action)
    {
        try
        {
            return TypedResults.Ok(await action());
        }
        catch (UnknownUserException e)
        {
            return Problems.NotFound(e.Message);
        }
        catch (UserExistsException e)
        {
            return Problems.Conflict(e.Message);
        }
        catch (UserDirectoryException e)
        {
            return Problems.BadRequest(e.Message);
        }
    }
}
