using System.Security.Claims;
using AnnotateAnyone.Data.Labels;
using AnnotateAnyone.Data.Review;
using AnnotateAnyone.Data.Taxonomy;
using AnnotateAnyone.Web.Components.Review;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;
using MudBlazor.Services;
using Npgsql;

namespace AnnotateAnyone.Web.Tests.Review;

/// <summary>The workspace component on a real database: keys in, decisions out, without a browser (bUnit).</summary>
public sealed class WorkspaceComponentTests(TestDatabase database) : BunitContext, IClassFixture<TestDatabase>
{
    private readonly Guid _annotator = Guid.NewGuid();

    private IRenderedComponent<Workspace> Render(ReviewKind kind = ReviewKind.Review)
    {
        var options = Options.Create(new ReviewOptions { GoldShare = 0, DoubleReviewShare = 0 });
        var taxonomy = database.Taxonomy();
        Services.AddSingleton(new ReviewQueue(database.DataSource, options));
        Services.AddSingleton(new ReviewItems(database.DataSource, taxonomy, options));
        Services.AddSingleton(new LabelBook(database.DataSource, taxonomy, options));
        Services.AddSingleton(TimeProvider.System);
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
        var authorization = AddAuthorization();
        authorization.SetAuthorized("annotator@example.org");
        authorization.SetClaims(new Claim(ClaimTypes.NameIdentifier, _annotator.ToString()));
        return Render<Workspace>(p => p.Add(w => w.Kinds, [kind]).Add(w => w.Title, "Review"));
    }

    private async Task<long[]> QueueWithProposalAsync(int count, ReviewKind kind = ReviewKind.Review) => await QueueAsync(count, proposed: true, kind);

    /// <summary>Images at the head of a review queue, with an outside model's shot type for each when <paramref name="proposed"/>.</summary>
    private async Task<long[]> QueueAsync(int count, bool proposed, ReviewKind kind = ReviewKind.Review)
    {
        var index = new TaxonomyIndex(await database.Taxonomy().GetActiveAsync());
        var shot = index.Find("shot.shot_type")!;
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var ids = new List<long>();
        for (var i = 0; i < count; i++)
        {
            await using var image = new NpgsqlCommand("""
                INSERT INTO images (sha256, source_kind, source_uri, original_key, thumbnail_key, status, byte_size, flags, is_gold, created_at, updated_at)
                VALUES (decode(md5(random()::text) || md5(random()::text), 'hex'), 1, 'test', 'k', 't', 2, 0, 0, false, now(), now()) RETURNING id
                """, connection);
            ids.Add((long)(await image.ExecuteScalarAsync())!);
        }
        var model = await database.Contexts.CreateDbContextAsync();
        var version = new Data.ModelRegistry.ModelVersion { Kind = Data.ModelRegistry.ModelKind.External, Name = "m", Number = Random.Shared.Next(), TaxonomyVersionId = index.Version.Id };
        model.ModelVersions.Add(version);
        await model.SaveChangesAsync();
        foreach (var (image, i) in ids.Select((id, i) => (id, i)))
        {
            await using var proposal = new NpgsqlCommand((proposed ? """
                INSERT INTO label_proposals (image_id, attribute_id, value_ids, confidence, model_version_id, created_at) VALUES (@image, @attribute, @values, 0.3, @model, now());
                """ : "") + """
                INSERT INTO review_tasks (image_id, kind, priority, status, created_at) VALUES (@image, @kind, @priority, 0, now());
                """, connection);
            proposal.Parameters.AddWithValue("image", image);
            proposal.Parameters.AddWithValue("attribute", shot.Id);
            proposal.Parameters.AddWithValue("values", new[] { shot.Values.Single(v => v.Key == "portrait").Id });
            proposal.Parameters.AddWithValue("model", version.Id);
            proposal.Parameters.AddWithValue("priority", -10_000f + i);
            proposal.Parameters.AddWithValue("kind", (short)kind);
            await proposal.ExecuteNonQueryAsync();
        }
        return [.. ids];
    }

    /// <summary>
    /// The item can arrive while the first render is still attaching the page's script; the viewer must wait for the
    /// render that draws it. Called with no element, the browser threw and the circuit ended with the annotator's keys.
    /// </summary>
    [Fact]
    public async Task An_item_that_arrives_while_the_page_attaches_gets_its_viewer_only_once_drawn()
    {
        await QueueWithProposalAsync(1);
        var script = new ScriptAttachedWhileTheItemLoads();
        Services.AddSingleton<IJSRuntime>(script);

        // The item's claim waits for this lock until the script is being attached.
        await using (var connection = await database.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await new NpgsqlCommand("LOCK TABLE review_tasks IN ACCESS EXCLUSIVE MODE", connection, transaction).ExecuteNonQueryAsync();
            Render();
            await script.Attaching.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }

        await script.Shown.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.All(script.Viewers, viewer => Assert.NotNull(viewer.Id));
    }

    /// <summary>
    /// review.js as the browser runs it under load: attaching ends only once the item has loaded and asked for
    /// focus, and focusing takes a moment, so the first render's attach finishes before the item is drawn.
    /// </summary>
    private sealed class ScriptAttachedWhileTheItemLoads : IJSRuntime, IJSObjectReference
    {
        private readonly TaskCompletionSource _focusAsked = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Attaching { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Shown { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<ElementReference> Viewers { get; } = [];

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) => InvokeAsync<TValue>(identifier, CancellationToken.None, args);

        public async ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args)
        {
            switch (identifier)
            {
                case "import":
                    return (TValue)(object)this;
                case "attach":
                    Attaching.SetResult();
                    await _focusAsked.Task;
                    break;
                case "focus":
                    _focusAsked.TrySetResult();
                    await Task.Delay(200, cancellationToken);
                    break;
                case "viewer":
                    Viewers.Add((ElementReference)args![0]!);
                    Shown.TrySetResult();
                    break;
            }
            return default!;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    [Fact]
    public async Task The_workspace_shows_the_proposal_with_its_confidence_and_the_caption()
    {
        var images = await QueueWithProposalAsync(1);

        var workspace = Render();

        workspace.WaitForAssertion(() => Assert.Contains($"Image #{images[0]}", workspace.Markup));
        Assert.Contains("a close-up portrait", workspace.Find(".caption").TextContent);
        Assert.Contains("30%", workspace.Find(".attribute.focused .confidence").TextContent);
    }

    [Fact]
    public async Task An_audit_image_hides_the_proposal_and_says_it_measures_the_ai()
    {
        var images = await QueueWithProposalAsync(1);
        // The image is an audit image of a round of the model that proposed: reviewed whole, its answers measure the model.
        await database.RouteInARoundAsync(images[0], audit: true);

        var workspace = Render();

        workspace.WaitForAssertion(() => Assert.Contains($"Image #{images[0]}", workspace.Markup));
        Assert.Equal("Measuring the AI: its answers are hidden", workspace.Find("[data-testid=measuring]").TextContent);
        Assert.Equal($"{workspace.FindAll(".attribute").Count} left to answer", workspace.Find("[data-testid=hidden-left]").TextContent);
        Assert.Equal(("—", "AI answer hidden"), (workspace.Find(".attribute.focused .attribute-value").TextContent, workspace.Find(".attribute.focused .confidence").TextContent));
        Assert.DoesNotContain("portrait", workspace.Find(".caption").TextContent);
    }

    [Fact]
    public async Task A_caption_over_the_text_encoders_limit_is_flagged_with_its_token_count()
    {
        var images = await QueueWithProposalAsync(1);
        // A proposal for every other attribute: the caption says all of them.
        await database.ExecuteAsync("""
            INSERT INTO label_proposals (image_id, attribute_id, value_ids, confidence, model_version_id, created_at)
            SELECT @image, a.id, ARRAY[(SELECT min(v.id) FROM attribute_values v WHERE v.attribute_id = a.id AND NOT v.marks_absent)], 0.3, p.model_version_id, now()
            FROM attributes a JOIN label_proposals p ON p.image_id = @image
            WHERE a.taxonomy_version_id = (SELECT id FROM taxonomy_versions WHERE is_active) AND a.id <> p.attribute_id
            """, ("image", images[0]));

        var workspace = Render();

        workspace.WaitForAssertion(() => Assert.Contains($"Image #{images[0]}", workspace.Markup));
        Assert.Matches(@"^ \(\d+ tokens: over the 75 the text encoder takes\)$", workspace.Find(".caption .warning").TextContent);
    }

    [Fact]
    public async Task Keys_save_decisions_and_enter_finishes_the_item_and_loads_the_next()
    {
        var images = await QueueWithProposalAsync(2);
        var workspace = Render();
        workspace.WaitForAssertion(() => Assert.Contains($"Image #{images[0]}", workspace.Markup));

        await workspace.InvokeAsync(() => workspace.Instance.OnKey("1", false, false));
        await workspace.InvokeAsync(() => workspace.Instance.OnKey("Enter", false, false));

        workspace.WaitForAssertion(() => Assert.Contains($"Image #{images[1]}", workspace.Markup));
        Assert.Contains("1 done this sitting", workspace.Find("[data-testid=done]").TextContent);
        await using var db = await database.Contexts.CreateDbContextAsync();
        var decision = await db.LabelDecisions.SingleAsync(d => d.ImageId == images[0]);
        Assert.Equal((LabelSource.Human, _annotator), (decision.Source, decision.UserId!.Value));
        Assert.Equal(ReviewTaskStatus.Done, (await db.ReviewTasks.SingleAsync(t => t.ImageId == images[0])).Status);
    }

    [Fact]
    public async Task Enter_on_an_image_nobody_proposed_anything_for_says_so_and_a_second_enter_completes_it()
    {
        var images = await QueueAsync(2, proposed: false);
        var workspace = Render();
        workspace.WaitForAssertion(() => Assert.Contains($"Image #{images[0]}", workspace.Markup));

        await workspace.InvokeAsync(() => workspace.Instance.OnKey("Enter", false, false));
        workspace.WaitForAssertion(() => Assert.StartsWith("Nothing is answered on this image", workspace.Find(".workspace-message").TextContent.Trim()));
        Assert.Contains($"Image #{images[0]}", workspace.Markup);
        await workspace.InvokeAsync(() => workspace.Instance.OnKey("Enter", false, false));

        workspace.WaitForAssertion(() => Assert.Contains($"Image #{images[1]}", workspace.Markup));
        Assert.Empty(workspace.FindAll(".workspace-message"));
    }

    /// <summary>A second opinion changes no label, so its answers have no revision: undo takes the answer back all the same.</summary>
    [Fact]
    public async Task Undo_on_a_second_review_takes_the_answer_back()
    {
        var images = await QueueWithProposalAsync(1, ReviewKind.DoubleReview);
        var workspace = Render(ReviewKind.DoubleReview);
        workspace.WaitForAssertion(() => Assert.Contains($"Image #{images[0]}", workspace.Markup));

        await workspace.InvokeAsync(() => workspace.Instance.OnKey("2", false, false));
        await workspace.InvokeAsync(() => workspace.Instance.OnKey("z", false, true));

        await using var db = await database.Contexts.CreateDbContextAsync();
        var decisions = await db.LabelDecisions.Where(d => d.ImageId == images[0]).OrderBy(d => d.Id).Select(d => d.ValueIds).ToListAsync();
        Assert.Equal(2, decisions.Count);
        Assert.NotEmpty(decisions[0]);
        Assert.Empty(decisions[1]);
        Assert.Empty(workspace.FindAll(".workspace-message"));
    }
}
