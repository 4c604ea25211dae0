using Microsoft.Playwright;

namespace AnnotateAnyone.EndToEnd.Tests.Browser;

public sealed class SignInJourneyTests(BrowserFixture platform) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task An_admin_signs_in_through_the_page_and_reaches_user_management()
    {
        var page = await platform.NewPageAsync();

        await BrowserFixture.SignInAsync(page, Platform.AdminEmail, Platform.AdminPassword);

        await Assertions.Expect(page.GetByText($"Signed in as {Platform.AdminEmail}")).ToBeVisibleAsync();
        // The start page has a card for each of the admin's roles, each with the figure that says whether there is work.
        await Assertions.Expect(page.GetByTestId("start-open-reviews")).ToHaveTextAsync("0 review items wait for you.");
        await Assertions.Expect(page.GetByTestId("start-round")).ToHaveTextAsync("No round yet: start the first one.");
        await Assertions.Expect(page.GetByTestId("start-awaiting")).ToHaveTextAsync("0 images await labels.");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Watch the jobs" })).ToHaveAttributeAsync("href", "/ops");
        Assert.Empty(await BrowserFixture.SeriousAccessibilityViolationsAsync(page));
        await page.GetByRole(AriaRole.Link, new() { Name = "Users" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Users" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = Platform.AdminEmail, Exact = true })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_wrong_password_shows_a_message_on_the_sign_in_page()
    {
        var page = await platform.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.GetByLabel("Email").FillAsync(Platform.AdminEmail);
        await page.GetByLabel("Password").FillAsync("not the password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("The email or password is wrong.");
    }

    /// <summary>
    /// Pages no journey test checks whole: the taxonomy editor's and the tokens page's remove buttons (error red as
    /// text), the generate page's notice with its link (info blue on its tint).
    /// </summary>
    [Fact]
    public async Task The_pages_an_admin_opens_from_the_menu_have_no_serious_accessibility_violations()
    {
        var page = await platform.NewPageAsync();
        await BrowserFixture.SignInAsync(page, Platform.AdminEmail, Platform.AdminPassword);
        var violations = new List<string>();

        foreach (var path in new[] { "/lead", "/lead/taxonomy", "/lead/adjudicate", "/lead/audit", "/account/tokens", "/admin/users", "/daring/generate" })
        {
            await page.GotoAsync(path);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            violations.AddRange((await BrowserFixture.SeriousAccessibilityViolationsAsync(page)).Select(v => $"{path}: {v}"));
        }

        Assert.Empty(violations);
    }

    [Fact]
    public async Task The_sign_in_page_has_no_serious_accessibility_violations()
    {
        var page = await platform.NewPageAsync();
        await page.GotoAsync("/account/login");

        Assert.Empty(await BrowserFixture.SeriousAccessibilityViolationsAsync(page));
    }
}
