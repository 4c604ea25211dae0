using System.Security.Claims;
using AnnotateAnyone.Web.Accounts;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace AnnotateAnyone.Web.Tests.Components;

/// <summary>A page rendered by bUnit for a signed-in data lead, on a database of its own, at an address (its query).</summary>
public abstract class PageOnDatabase : BunitContext, IAsyncLifetime
{
    protected TestDatabase Database { get; } = new();

    public Task InitializeAsync() => Database.InitializeAsync();

    // MudBlazor's services can only be disposed asynchronously, which xUnit does through IAsyncLifetime.
    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await Database.DisposeAsync();
    }

    /// <summary>What a data lead may do (<see cref="Policies.Add"/>): parts of a page shown only to some roles show.</summary>
    protected static readonly string[] DataLeadPolicies =
        [Policies.Review, Policies.Lead, Policies.Ingest, Policies.ViewImages, Policies.ViewModels, Policies.ReadReleases, Policies.ReadAudit];

    /// <summary>The address the page is at now (after a search put its filter there).</summary>
    protected Uri Address => new(Services.GetRequiredService<NavigationManager>().Uri);

    /// <summary>
    /// Renders the page at <paramref name="address"/> once <paramref name="ready"/> holds (its first load is done);
    /// <paramref name="parameters"/> are its route's (bUnit does not read them off the address); <paramref name="policies"/>
    /// what the signed-in user may do (a data lead's unless given).
    /// </summary>
    protected IRenderedComponent<TPage> RenderAt<TPage>(string address, Func<IRenderedComponent<TPage>, bool> ready,
        Action<ComponentParameterCollectionBuilder<TPage>>? parameters = null, string[]? policies = null) where TPage : IComponent
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
        AddAuthorization().SetAuthorized("lead@example.org").SetClaims(new Claim(ClaimTypes.NameIdentifier, Guid.NewGuid().ToString()))
            .SetPolicies(policies ?? DataLeadPolicies);
        Services.GetRequiredService<NavigationManager>().NavigateTo(address);
        var page = Render<TPage>(parameters ?? (_ => { }));
        page.WaitForState(() => ready(page), TimeSpan.FromSeconds(20));
        return page;
    }
}
