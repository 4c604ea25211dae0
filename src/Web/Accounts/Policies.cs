using AnnotateAnyone.Data.Accounts;
using Microsoft.AspNetCore.Authorization;

namespace AnnotateAnyone.Web.Accounts;

/// <summary>
/// What each page and endpoint asks for. Pages name a policy, never a role, so the role table lives here.
/// Anything that names no policy still requires a signed-in user (the fallback policy): deny by default.
/// </summary>
public static class Policies
{
    public const string Review = nameof(Review);
    public const string Lead = nameof(Lead);
    public const string Ingest = nameof(Ingest);
    public const string Operate = nameof(Operate);
    public const string Administer = nameof(Administer);
    public const string ViewImages = nameof(ViewImages);
    public const string ViewModels = nameof(ViewModels);
    public const string ReadReleases = nameof(ReadReleases);
    public const string ReadAudit = nameof(ReadAudit);

    public static void Add(AuthorizationOptions options)
    {
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        options.AddPolicy(Review, p => p.RequireRole(Roles.Annotator, Roles.DataLead, Roles.Admin));
        options.AddPolicy(Lead, p => p.RequireRole(Roles.DataLead, Roles.Admin));
        options.AddPolicy(Ingest, p => p.RequireRole(Roles.DataLead, Roles.Ops, Roles.Admin));
        options.AddPolicy(Operate, p => p.RequireRole(Roles.Ops, Roles.Admin));
        options.AddPolicy(Administer, p => p.RequireRole(Roles.Admin));
        options.AddPolicy(ViewImages, p => p.RequireRole(Roles.All.ToArray()));
        // Model versions and their measurements: data leads judge the data by them, ops the training.
        options.AddPolicy(ViewModels, p => p.RequireRole(Roles.DataLead, Roles.Ops, Roles.Admin));
        // Published releases are read by training (ops) and by the data leads who cut them.
        options.AddPolicy(ReadReleases, p => p.RequireRole(Roles.DataLead, Roles.Ops, Roles.Admin));
        // The audit trail: who changed what. Annotators' own work is in each image's history.
        options.AddPolicy(ReadAudit, p => p.RequireRole(Roles.DataLead, Roles.Ops, Roles.Admin));
    }
}
