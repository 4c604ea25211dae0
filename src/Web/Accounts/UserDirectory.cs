using AnnotateAnyone.Data.Accounts;
using AnnotateAnyone.Data.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AnnotateAnyone.Web.Accounts;

public sealed record UserSummary(Guid Id, string Email, string? DisplayName, IReadOnlyList<string> Roles, bool IsLocked, DateTimeOffset CreatedAt);

/// <summary>
/// Creates users and changes their roles and lock state, for the admin pages, the HTTP API and the command
/// line alike. Each call runs in its own scope, so long-lived Blazor circuits never hold a stale context.
/// </summary>
public sealed class UserDirectory(IServiceScopeFactory scopes, AuditTrail audit)
{
    public async Task<UserSummary> CreateAsync(string email, string password, IReadOnlyCollection<string> roles, string? displayName,
        string actor, CancellationToken cancellationToken = default)
    {
        roles = Canonical(roles);
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = email.Trim(), Email = email.Trim(), DisplayName = displayName, EmailConfirmed = true };
        var created = await users.CreateAsync(user, password);
        // Identity says it twice, once for the user name and once for the email, which are the same here.
        if (created.Errors.Any(e => e.Code is nameof(IdentityErrorDescriber.DuplicateUserName) or nameof(IdentityErrorDescriber.DuplicateEmail)))
            throw new UserExistsException(user.Email);
        ThrowIfFailed(created, $"create user '{email}'");
        if (roles.Count > 0) ThrowIfFailed(await users.AddToRolesAsync(user, roles), $"give '{email}' roles");
        await audit.RecordAsync(actor, "user.created", "user", user.Id.ToString(), new { user.Email, Roles = roles }, cancellationToken);
        return await SummariseAsync(users, user);
    }

    public async Task<UserSummary> SetRolesAsync(Guid userId, IReadOnlyCollection<string> roles, string actor, CancellationToken cancellationToken = default)
    {
        roles = Canonical(roles);
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await FindAsync(users, userId);
        var current = await users.GetRolesAsync(user);
        // Nothing to change: no audit entry, and no new security stamp, which would sign the user out everywhere.
        if (current.ToHashSet().SetEquals(roles)) return await SummariseAsync(users, user);
        if (!roles.Contains(Roles.Admin)) await ThrowIfLastAdministratorAsync(users, user, "take the Admin role from them");
        ThrowIfFailed(await users.RemoveFromRolesAsync(user, current.Except(roles)), "remove roles");
        ThrowIfFailed(await users.AddToRolesAsync(user, roles.Except(current)), "add roles");
        // A new security stamp signs the user out elsewhere, so a removed role stops working promptly.
        await users.UpdateSecurityStampAsync(user);
        await audit.RecordAsync(actor, "user.roles_changed", "user", userId.ToString(), new { Before = current, After = roles }, cancellationToken);
        return await SummariseAsync(users, user);
    }

    public async Task<UserSummary> SetLockedAsync(Guid userId, bool locked, string actor, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await FindAsync(users, userId);
        // Nothing to change (no audit entry, no sign-out): locked for good, or not locked at all. A user locked out for a
        // while by failed sign-ins is still locked for good on request, and let in on an unlock.
        if (locked ? LockedForGood(user) : !(user.LockoutEnd > DateTimeOffset.UtcNow)) return await SummariseAsync(users, user);
        if (locked) await ThrowIfLastAdministratorAsync(users, user, "lock them");
        await users.SetLockoutEnabledAsync(user, true);
        ThrowIfFailed(await users.SetLockoutEndDateAsync(user, locked ? DateTimeOffset.MaxValue : null), "change lock");
        await users.UpdateSecurityStampAsync(user);
        await audit.RecordAsync(actor, locked ? "user.locked" : "user.unlocked", "user", userId.ToString(), null, cancellationToken);
        return await SummariseAsync(users, user);
    }

    /// <summary>Locked by an administrator: until the end of time, which PostgreSQL stores to the microsecond, a few ticks short.</summary>
    private static bool LockedForGood(AppUser user) => user.LockoutEnd >= DateTimeOffset.MaxValue.AddDays(-1);

    public async Task<IReadOnlyList<UserSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.Persistence.AnnotateDbContext>();
        var roleNames = await db.Roles.ToDictionaryAsync(r => r.Id, r => r.Name!, cancellationToken);
        var memberships = (await db.UserRoles.ToListAsync(cancellationToken)).ToLookup(ur => ur.UserId, ur => roleNames[ur.RoleId]);
        var now = DateTimeOffset.UtcNow;
        return (await db.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync(cancellationToken))
            .Select(u => new UserSummary(u.Id, u.Email!, u.DisplayName, memberships[u.Id].Order().ToList(), u.LockoutEnd > now, u.CreatedAt))
            .ToList();
    }

    public async Task<bool> ExistsAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Data.Persistence.AnnotateDbContext>().Users.AnyAsync(u => u.Id == userId, cancellationToken);
    }

    public async Task<bool> AnyAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Data.Persistence.AnnotateDbContext>().Users.AnyAsync(cancellationToken);
    }

    public async Task<Guid?> FindIdByEmailAsync(string email)
    {
        await using var scope = scopes.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email);
        return user?.Id;
    }

    private static async Task<AppUser> FindAsync(UserManager<AppUser> users, Guid userId) =>
        await users.FindByIdAsync(userId.ToString()) ?? throw new UnknownUserException(userId);

    private static async Task<UserSummary> SummariseAsync(UserManager<AppUser> users, AppUser user) =>
        new(user.Id, user.Email!, user.DisplayName, (await users.GetRolesAsync(user)).Order().ToList(),
            user.LockoutEnd > DateTimeOffset.UtcNow, user.CreatedAt);

    /// <summary>The roles in their own spelling, each once: "dataLead" as DataLead, as choices are read everywhere else.</summary>
    /// <exception cref="UserDirectoryException">A name is no role.</exception>
    private static IReadOnlyCollection<string> Canonical(IEnumerable<string> roles)
    {
        var given = roles.Select(r => (Given: r, Role: Roles.All.FirstOrDefault(known => string.Equals(known, r.Trim(), StringComparison.OrdinalIgnoreCase)))).ToList();
        if (given.Where(g => g.Role is null).Select(g => g.Given).ToList() is [_, ..] unknown)
            throw new UserDirectoryException($"Unknown role(s): {string.Join(", ", unknown)}. Roles are: {string.Join(", ", Roles.All)}.");
        return [.. given.Select(g => g.Role!).Distinct()];
    }

    /// <summary>
    /// The platform keeps an active administrator: without one, nobody could manage users or tokens from the browser
    /// or the API again (an admin locking or demoting themselves by mistake, say), only from the command line.
    /// </summary>
    private static async Task ThrowIfLastAdministratorAsync(UserManager<AppUser> users, AppUser user, string change)
    {
        if (!await users.IsInRoleAsync(user, Roles.Admin) || await users.IsLockedOutAsync(user)) return;
        var now = DateTimeOffset.UtcNow;
        if ((await users.GetUsersInRoleAsync(Roles.Admin)).Any(admin => admin.Id != user.Id && !(admin.LockoutEnd > now))) return;
        throw new UserDirectoryException($"{user.Email} is the only active administrator: make another user Admin before you {change}.");
    }

    private static void ThrowIfFailed(IdentityResult result, string what)
    {
        if (!result.Succeeded)
            throw new UserDirectoryException($"Could not {what}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
    }
}

/// <summary>A user-management request that cannot be carried out, with a message fit to show.</summary>
public class UserDirectoryException(string message) : Exception(message);

/// <summary>The request names a user id that no user has.</summary>
public sealed class UnknownUserException(Guid userId) : UserDirectoryException(MessageFor(userId))
{
    public static string MessageFor(Guid userId) => $"User {userId} does not exist.";
}

/// <summary>The email is another user's already.</summary>
public sealed class UserExistsException(string email) : UserDirectoryException($"A user with the email '{email}' already exists.");
