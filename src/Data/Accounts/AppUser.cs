using Microsoft.AspNetCore.Identity;

namespace AnnotateAnyone.Data.Accounts;

public sealed class AppUser : IdentityUser<Guid>
{
    public string? DisplayName { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class AppRole : IdentityRole<Guid>
{
    public AppRole() { }

    public AppRole(string name) : base(name) { }
}

/// <summary>The four roles of the platform. Pages and endpoints name policies, not roles (see Policies in Web).</summary>
public static class Roles
{
    public const string Annotator = "Annotator";
    public const string DataLead = "DataLead";
    public const string Ops = "Ops";
    public const string Admin = "Admin";

    public static IReadOnlyList<string> All { get; } = [Annotator, DataLead, Ops, Admin];
}
