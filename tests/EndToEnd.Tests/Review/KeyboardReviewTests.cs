using AnnotateAnyone.EndToEnd.Tests.Browser;
using Microsoft.Playwright;
using Npgsql;

namespace AnnotateAnyone.EndToEnd.Tests.Review;

public sealed class KeyboardReviewTests(BrowserFixture platform) : IClassFixture<BrowserFixture>
{
    private const string Annotator = "keyboard-annotator@example.org";

    /// <summary>
    /// A lost first key failed this test a few times in full CI runs, never alone; this report (browser console and
    /// the Web host's log) found the cause, a viewer set up before its element was drawn. Should a key be lost again,
    /// the failure says what the browser and the server saw.
    /// </summary>
    private async Task ExpectOrSayWhatTheServerSawAsync(Task expectation, IReadOnlyList<string> browserConsole)
    {
        try
        {
            await expectation;
        }
        catch (PlaywrightException e)
        {
            throw new InvalidOperationException(
                $"{e.Message}\n{platform.WhatTheBrowserAndServerSaw(browserConsole)}", e);
        }
    }

    private async Task<IPage> SignInWithKeyboardAsync(string email, string password)
    {
        var page = await platform.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.Keyboard.TypeAsync(email);
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync(password);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => !url.Contains("/account/login"));
        return page;
    }

    [Fact]
    public async Task An_annotator_reviews_three_items_with_the_keyboard_alone_and_exactly_those_decisions_are_stored()
    {
        var images = await OutsideProposals.QueueThreeImagesAsync(platform);
        await platform.CreateUserAsync(Annotator, "Annotator");
        var page = await SignInWithKeyboardAsync(Annotator, Platform.AdminPassword);
        var browserConsole = BrowserFixture.RecordConsole(page);
        // A laptop's screen, shorter than the workspace.
        await page.SetViewportSizeAsync(1280, 600);
        await page.GotoAsync("/review");
        await Assertions.Expect(page.Locator(".workspace[data-keyboard=ready]")).ToBeVisibleAsync();
        var done = page.GetByTestId("done");

        // Item 1: choose the first shot type (full body), then accept the rest. Taking the keys did not scroll the
        // workspace's header under the app bar.
        await Assertions.Expect(page.GetByText($"Image #{images[0]}")).ToBeVisibleAsync();
        Assert.Equal(0, await page.EvaluateAsync<double>("window.scrollY"));
        await Assertions.Expect(page.Locator(".attribute.focused .attribute-name")).ToHaveTextAsync("Shot type");
        await page.Keyboard.PressAsync("1");
        await ExpectOrSayWhatTheServerSawAsync(Assertions.Expect(page.Locator(".caption")).ToContainTextAsync("a full-body shot"), browserConsole);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(done).ToHaveTextAsync("1 done this sitting");

        // Item 2: down to age, type to filter, Enter picks "elderly", Enter again accepts the rest.
        await Assertions.Expect(page.GetByText($"Image #{images[1]}")).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.TypeAsync("eld");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator(".caption")).ToContainTextAsync("an elderly person");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(done).ToHaveTextAsync("2 done this sitting");

        // Item 3: a choice and Enter at once, as a fast annotator types them: the choice is saved before Enter
        // completes the item.
        await Assertions.Expect(page.GetByText($"Image #{images[2]}")).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("1");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(done).ToHaveTextAsync("3 done this sitting");

        var decisions = await DecisionsAsync(images);
        Assert.Equal(
        [
            (images[0], "hair.color", "brown"), (images[0], "shot.shot_type", "full_body"),
            (images[1], "hair.color", "brown"), (images[1], "person.age", "elderly"), (images[1], "shot.shot_type", "upper_body"),
            (images[2], "hair.color", "brown"), (images[2], "shot.shot_type", "full_body"),
        ], decisions);

        // Shift+B with nothing left waiting: item 3 comes back with its answers, and a changed one is a new decision.
        await page.Keyboard.PressAsync("Shift+B");
        await Assertions.Expect(page.GetByText($"Image #{images[2]}")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".caption")).ToContainTextAsync("a full-body shot");
        await page.Keyboard.PressAsync("3");
        await Assertions.Expect(page.Locator(".caption")).ToContainTextAsync("an upper-body shot");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(done).ToHaveTextAsync("4 done this sitting");
        var afterwards = await DecisionsAsync([images[2]]);
        Assert.Equal(3, afterwards.Count);
        Assert.Contains((images[2], "shot.shot_type", "upper_body"), afterwards);
    }

    [Fact]
    public async Task An_item_that_measures_the_ai_hides_its_answer_and_enter_asks_before_leaving_it_unlabelled()
    {
        const string measurer = "measuring-annotator@example.org";
        var image = (await OutsideProposals.QueueImagesAsync(platform, 1)).Single();
        // Routed in a round of the model that proposed: hair colour whole (so it measures the model), shot type for its
        // low confidence; served before anything else waiting.
        await platform.Database.RouteInARoundAsync(image, audit: false, priority: -1e9f);
        await platform.CreateUserAsync(measurer, "Annotator");
        var page = await SignInWithKeyboardAsync(measurer, Platform.AdminPassword);
        await page.GotoAsync("/review");
        await Assertions.Expect(page.Locator(".workspace[data-keyboard=ready]")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText($"Image #{image}")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("measuring")).ToHaveTextAsync("Measuring the AI: its answers are hidden");
        await Assertions.Expect(page.Locator(".caption")).Not.ToContainTextAsync("brown");
        Assert.Empty(await BrowserFixture.SeriousAccessibilityViolationsAsync(page));

        // The shot type's proposal stands; Enter asks for the hidden hair colour and focuses it; a number answers it.
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator(".workspace-message")).ToContainTextAsync("This image measures the AI, so its answers are hidden");
        await Assertions.Expect(page.Locator(".attribute.focused .attribute-name")).ToHaveTextAsync("Color");
        await page.Keyboard.PressAsync("1");
        await Assertions.Expect(page.Locator(".attribute.focused .attribute-name")).Not.ToHaveTextAsync("Color");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("done")).ToHaveTextAsync("1 done this sitting");

        Assert.Equal([(image, "hair.color", "black"), (image, "shot.shot_type", "upper_body")], await DecisionsAsync([image], measurer));
    }

    [Fact]
    public async Task The_workspace_has_no_serious_accessibility_violations()
    {
        await OutsideProposals.QueueThreeImagesAsync(platform);
        await platform.CreateUserAsync("axe-annotator@example.org", "Annotator");
        var page = await SignInWithKeyboardAsync("axe-annotator@example.org", Platform.AdminPassword);
        await page.GotoAsync("/review");
        await Assertions.Expect(page.Locator(".attribute.focused")).ToBeVisibleAsync();

        Assert.Empty(await BrowserFixture.SeriousAccessibilityViolationsAsync(page));
    }

    [Fact]
    public async Task An_annotator_is_refused_the_data_lead_pages()
    {
        await platform.CreateUserAsync("curious-annotator@example.org", "Annotator");
        var page = await SignInWithKeyboardAsync("curious-annotator@example.org", Platform.AdminPassword);

        foreach (var path in new[] { "/lead", "/lead/adjudicate", "/lead/taxonomy" })
        {
            var response = await page.GotoAsync(path);
            Assert.Equal(403, response!.Status);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Access denied" })).ToBeVisibleAsync();
        }
    }

    private async Task<List<(long, string, string)>> DecisionsAsync(long[] images, string annotator = Annotator)
    {
        await using var connection = await platform.Database.DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("""
            SELECT d.image_id, g.key || '.' || a.key, v.key
            FROM label_decisions d JOIN attributes a ON a.id = d.attribute_id JOIN attribute_groups g ON g.id = a.group_id
            JOIN attribute_values v ON v.id = d.value_ids[1] JOIN users u ON u.id = d.user_id
            WHERE d.image_id = ANY(@images) AND u.email = @annotator
            ORDER BY d.image_id, 2
            """, connection);
        command.Parameters.AddWithValue("images", images);
        command.Parameters.AddWithValue("annotator", annotator);
        var rows = new List<(long, string, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2)));
        return rows;
    }
}
