using System.Text.Json;
using Microsoft.Playwright;

namespace AnnotateAnyone.EndToEnd.Tests.Browser;

/// <summary>
/// Headless Chromium from Debian (Playwright cannot download browsers here), driven by Playwright, on top of
/// the platform's own processes.
/// </summary>
public sealed class BrowserFixture : Platform
{
    private IPlaywright? _playwright;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Chromium did not start.");

    private IBrowser? _browser;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        // Every browser test class runs its own platform (Web, Workers, Chromium) side by side on two cores in CI:
        // a click's round trip through the circuit and the database can take longer than Playwright's 5 s default.
        Assertions.SetDefaultExpectTimeout(20_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            // The machine has no network beyond loopback: stop Chromium phoning home at every start.
            Args = ["--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
        });
    }

    public override async Task DisposeAsync()
    {
        // Chromium may not have started (not installed): the platform's processes must still be stopped.
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        await base.DisposeAsync();
    }

    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Address.ToString() });
        return await context.NewPageAsync();
    }

    /// <summary>Keeps what the page's browser console says, for a failing test to report.</summary>
    public static IReadOnlyList<string> RecordConsole(IPage page)
    {
        var lines = new List<string>();
        page.Console += (_, message) => lines.Add($"{message.Type}: {message.Text}");
        return lines;
    }

    /// <summary>What the browser and the Web host saw, for a failure's message.</summary>
    public string WhatTheBrowserAndServerSaw(IReadOnlyList<string> browserConsole) =>
        $"Browser console: {string.Join(" | ", browserConsole)}\nWeb output (end): {WebOutputEnd(6000)}";

    public static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/account/login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/account/login"));
    }

    /// <summary>Runs axe-core on the page and returns the serious and critical violations, by rule id.</summary>
    public static async Task<IReadOnlyList<string>> SeriousAccessibilityViolationsAsync(IPage page)
    {
        await page.AddScriptTagAsync(new() { Path = Path.Combine(TestEnvironment.RepositoryRoot, "tests/tools/node_modules/axe-core/axe.min.js") });
        var json = await page.EvaluateAsync<string>("""
            async () => JSON.stringify((await axe.run()).violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', ')))
            """);
        return JsonSerializer.Deserialize<string[]>(json)!;
    }
}
