using System.Net;
using System.Net.Http.Json;
using AnnotateAnyone.Data.Accounts;

namespace AnnotateAnyone.Web.Tests.Accounts;

/// <summary>On a platform of its own, so that its administrators are the ones the test makes.</summary>
public sealed class LastAdministratorTests(WebApp app) : IClassFixture<WebApp>
{
    [Fact]
    public async Task The_only_active_administrator_can_be_neither_locked_nor_demoted_until_another_is_made()
    {
        var only = await app.CreateUserAsync(Roles.Admin);
        var admin = await app.ApiClientOfAsync(only);

        var locked = await admin.PostAsync($"/api/users/{only.Id}/lock", null);
        var demoted = await admin.PutAsJsonAsync($"/api/users/{only.Id}/roles", new { roles = new[] { Roles.DataLead } });

        Assert.Equal($"{only.Email} is the only active administrator: make another user Admin before you lock them.",
            await Problem.DetailAsync(locked, HttpStatusCode.BadRequest));
        Assert.Equal($"{only.Email} is the only active administrator: make another user Admin before you take the Admin role from them.",
            await Problem.DetailAsync(demoted, HttpStatusCode.BadRequest));
        await app.CreateUserAsync(Roles.Admin);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/users/{only.Id}/roles", new { roles = new[] { Roles.DataLead } })).StatusCode);
    }
}
