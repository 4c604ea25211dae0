using AnnotateAnyone.Data.Audit;
using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Web;
using AnnotateAnyone.Data.Persistence;
using AnnotateAnyone.Data.Storage;
using AnnotateAnyone.Web.Accounts;
using AnnotateAnyone.Web.Audit;
using AnnotateAnyone.Web.Commands;
using AnnotateAnyone.Web.Components;
using AnnotateAnyone.Web.Daring;
using AnnotateAnyone.Web.Health;
using AnnotateAnyone.Web.Ingest;
using AnnotateAnyone.Web.Jobs;
using AnnotateAnyone.Web.Leads;
using AnnotateAnyone.Web.Operations;
using AnnotateAnyone.Web.Releases;
using AnnotateAnyone.Web.Review;
using AnnotateAnyone.Web.Rounds;

var builder = WebApplication.CreateBuilder(args);

builder.AddAnnotateData();
builder.AddObjectStorage();
builder.AddJobStorage();
builder.AddAccounts();
builder.AddPlatformHealth();
builder.AddIngestUploads();
builder.AddReviewPages();
builder.Services.AddSingleton<RoundViews>();
builder.Services.AddSingleton<ReleaseViews>();
builder.Services.AddSingleton<DaringViews>();
builder.Services.AddSingleton<AuditLog>();
builder.AddWebUi();
builder.AddApiJson();
builder.AddApiDescription();
builder.AddOperations();

var app = builder.Build();
if (AdminCommands.IsCommand(args)) return await AdminCommands.RunAsync(app, args);

app.UseWebPipeline();
app.MapPlatformHealth();
app.MapAccountEndpoints();
app.MapUsersApi();
app.MapJobsApi();
app.MapIngestApi();
app.MapImagesApi();
app.MapReviewApi();
app.MapReviewTasksApi();
app.MapLeadsApi();
app.MapRoundsApi();
app.MapReleasesApi();
app.MapDaringApi();
app.MapAuditApi();
app.MapApiDescription();
app.MapOperations();
app.MapHangfireDashboardForOps();
app.MapWebUi();

await app.RunAsync();
return 0;

public partial class Program;
