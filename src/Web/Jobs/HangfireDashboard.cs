using AnnotateAnyone.Web.Accounts;
using Hangfire;
using Hangfire.Dashboard;

namespace AnnotateAnyone.Web.Jobs;

public static class HangfireDashboard
{
    /// <summary>
    /// Hangfire's own dashboard at /hangfire, for Ops and Admin only. Its built-in filter (local requests only)
    /// is replaced by the endpoint's role policy, which also covers API tokens.
    /// </summary>
    public static IEndpointRouteBuilder MapHangfireDashboardForOps(this IEndpointRouteBuilder app)
    {
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [],
            AsyncAuthorization = [],
            DashboardTitle = "Annotate Anyone jobs",
            AppPath = "/ops",
            DisplayStorageConnectionString = false,
        }).RequireAuthorization(Policies.Operate);
        return app;
    }
}
