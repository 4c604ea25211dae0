using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;

namespace AnnotateAnyone.Web.Accounts;

/// <summary>
/// The roles an endpoint needs, from its policies (a group's and its own): each policy's roles must be met, so a role
/// serves alone only where every policy allows it. The images API lets any role see images, but an image's labels
/// only to those who oversee the work: an annotator needs DataLead, Ops or Admin there, not "any role or those".
/// </summary>
public static class RequiredRoles
{
    /// <summary>"the role Admin or DataLead" (or, where no one role serves, each policy's roles joined by "and"); null when no policy names roles.</summary>
    public static async Task<string?> DescribeAsync(IEnumerable<object> endpointMetadata, IAuthorizationPolicyProvider policies)
    {
        var requirements = new List<IReadOnlyCollection<string>>();
        foreach (var name in endpointMetadata.OfType<IAuthorizeData>().Select(a => a.Policy).OfType<string>())
            if (await policies.GetPolicyAsync(name) is { } policy)
                requirements.AddRange(policy.Requirements.OfType<RolesAuthorizationRequirement>().Select(r => (IReadOnlyCollection<string>)[.. r.AllowedRoles]));
        if (requirements.Count == 0) return null;
        var alone = new SortedSet<string>(requirements[0], StringComparer.Ordinal);
        foreach (var requirement in requirements.Skip(1)) alone.IntersectWith(requirement);
        return alone.Count > 0
            ? Either(alone)
            : string.Join(" and ", requirements.Select(Either));
    }

    private static string Either(IEnumerable<string> roles) => $"the role {string.Join(" or ", roles.Order(StringComparer.Ordinal))}";
}
