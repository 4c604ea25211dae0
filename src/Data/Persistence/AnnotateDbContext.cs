using AnnotateAnyone.Data.Accounts;
using AnnotateAnyone.Data.Audit;
using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Ingest;
using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Data.Labels;
using AnnotateAnyone.Data.ModelRegistry;
using AnnotateAnyone.Data.Releases;
using AnnotateAnyone.Data.Review;
using AnnotateAnyone.Data.Rounds;
using AnnotateAnyone.Data.Routing;
using AnnotateAnyone.Data.Taxonomy;
using AnnotateAnyone.Data.Truth;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace AnnotateAnyone.Data.Persistence;

public sealed class AnnotateDbContext(DbContextOptions<AnnotateDbContext> options)
    : IdentityDbContext<AppUser, AppRole, Guid>(options), IDataProtectionKeyContext
{
    public const string MigrationsAssembly = "AnnotateAnyone.Migrations";

    public DbSet<Image> Images => Set<Image>();
    public DbSet<TaxonomyVersion> TaxonomyVersions => Set<TaxonomyVersion>();
    public DbSet<AttributeGroup> AttributeGroups => Set<AttributeGroup>();
    public DbSet<AttributeDefinition> Attributes => Set<AttributeDefinition>();
    public DbSet<AttributeValue> AttributeValues => Set<AttributeValue>();
    public DbSet<LabelProposal> LabelProposals => Set<LabelProposal>();
    public DbSet<Label> Labels => Set<Label>();
    public DbSet<LabelDecision> LabelDecisions => Set<LabelDecision>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<ReviewTask> ReviewTasks => Set<ReviewTask>();
    public DbSet<AnnotationRound> Rounds => Set<AnnotationRound>();
    public DbSet<ModelVersion> ModelVersions => Set<ModelVersion>();
    public DbSet<Release> Releases => Set<Release>();
    public DbSet<JobRun> JobRuns => Set<JobRun>();
    public DbSet<JobMetric> JobMetrics => Set<JobMetric>();
    public DbSet<JobLogEntry> JobLogs => Set<JobLogEntry>();
    public DbSet<WorkerHost> WorkerHosts => Set<WorkerHost>();
    public DbSet<AccessToken> AccessTokens => Set<AccessToken>();
    public DbSet<IngestRun> IngestRuns => Set<IngestRun>();
    public DbSet<IngestItem> IngestItems => Set<IngestItem>();
    public DbSet<GroundTruth> GroundTruths => Set<GroundTruth>();
    public DbSet<GroundTruthLabel> GroundTruthLabels => Set<GroundTruthLabel>();
    public DbSet<GoldAnswer> GoldAnswers => Set<GoldAnswer>();
    public DbSet<AnnotatorTally> AnnotatorTallies => Set<AnnotatorTally>();
    public DbSet<AgreementUnitCount> AgreementUnits => Set<AgreementUnitCount>();
    public DbSet<RoutingTarget> RoutingTargets => Set<RoutingTarget>();

    /// <summary>The Web host's cookie and antiforgery keys, shared by every replica and kept across restarts.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        base.OnModelCreating(model);
        model.Entity<AppUser>().ToTable("users");
        model.Entity<AppRole>().ToTable("roles");
        model.Entity<Microsoft.AspNetCore.Identity.IdentityUserRole<Guid>>().ToTable("user_roles");
        model.Entity<Microsoft.AspNetCore.Identity.IdentityUserClaim<Guid>>().ToTable("user_claims");
        model.Entity<Microsoft.AspNetCore.Identity.IdentityUserLogin<Guid>>().ToTable("user_logins");
        model.Entity<Microsoft.AspNetCore.Identity.IdentityUserToken<Guid>>().ToTable("user_tokens");
        model.Entity<Microsoft.AspNetCore.Identity.IdentityRoleClaim<Guid>>().ToTable("role_claims");
        model.Entity<AppUser>().Property(u => u.CreatedAt).HasDefaultValueSql("now()");
        model.ApplyConfigurationsFromAssembly(typeof(AnnotateDbContext).Assembly);
    }
}
