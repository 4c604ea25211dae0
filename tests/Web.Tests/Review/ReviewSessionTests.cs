using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Labels;
using AnnotateAnyone.Data.Review;
using AnnotateAnyone.Data.Taxonomy;
using AnnotateAnyone.Web.Review;
using Microsoft.Extensions.Time.Testing;

namespace AnnotateAnyone.Web.Tests.Review;

/// <summary>The workspace's keyboard grammar and bookkeeping, without a browser or a database.</summary>
public sealed class ReviewSessionTests
{
    private static readonly TaxonomyVersion Taxonomy = NumberedTaxonomy.Of(DefaultTaxonomy.Spec);
    private static readonly TaxonomyIndex Index = new(Taxonomy);
    private readonly FakeTimeProvider _clock = new();
    private readonly ReviewSession _session;

    public ReviewSessionTests()
    {
        _session = new ReviewSession(_clock);
        _session.Load(Item(proposals: new() { [Id("shot.shot_type")] = new ProposedValue([Value("shot.shot_type", "upper_body")], 0.4f, 1, "m v1") }));
    }

    private static int Id(string key) => Index.Find(key)!.Id;
    private static int Value(string key, string value) => TaxonomyIndex.FindValue(Index.Find(key)!, value)!.Id;

    private static ReviewItem Item(Dictionary<int, ProposedValue>? proposals = null, int[]? scope = null, Dictionary<int, CurrentLabel>? labels = null,
        int[]? hidden = null) => new(
        new Lease(1, 1, Guid.NewGuid(), DateTimeOffset.UtcNow.AddMinutes(10), ReviewKind.Review, scope),
        new Image { Id = 1, Sha256 = new byte[32], SourceUri = "x", OriginalKey = "k" }, Taxonomy,
        proposals ?? [], labels ?? [], new Dictionary<int, IReadOnlyList<AnnotatorValue>>(), (hidden ?? []).ToHashSet());

    [Fact]
    public void Focus_starts_on_the_first_attribute_and_arrows_and_tab_move_it()
    {
        Assert.Equal("shot_type", _session.Focused!.Attribute.Key);
        _session.HandleKey("ArrowDown", false, false);
        _session.HandleKey("Tab", false, false);
        Assert.Equal("gender_presentation", _session.Focused!.Attribute.Key);
        _session.HandleKey("Tab", shift: true, false);
        Assert.Equal("age", _session.Focused!.Attribute.Key);
    }

    [Fact]
    public void A_number_chooses_that_value_and_focus_moves_on_once_saved()
    {
        var command = Assert.IsType<SessionCommand.Decide>(_session.HandleKey("2", false, false));
        Assert.Equal([Value("shot.shot_type", "nearly_full_body")], command.Values);

        _session.Applied(command, revision: 1);
        Assert.Equal("age", _session.Focused!.Attribute.Key);
    }

    [Fact]
    public void Taking_the_last_value_off_a_label_made_under_an_older_taxonomy_version_says_to_choose_its_replacement()
    {
        var items = Id("jewelry.items");
        _session.Load(Item(scope: [items], labels: new() { [items] = new CurrentLabel([Value("jewelry.items", "necklace")], Revision: null, LabelSource.Human) }));
        var key = (_session.Choices().Select(v => v.Key).ToList().IndexOf("necklace") + 1).ToString();

        var command = Assert.IsType<SessionCommand.Notice>(_session.HandleKey(key, false, false));

        Assert.Contains("labelled under an older taxonomy version", command.Message);
        Assert.Equal([Value("jewelry.items", "necklace")], _session.Focused!.Current!);
    }

    [Fact]
    public void Typing_filters_the_values_and_enter_takes_the_first_match()
    {
        _session.HandleKey("ArrowDown", false, false);
        foreach (var key in "eld") _session.HandleKey(key.ToString(), false, false);

        Assert.Equal(["elderly"], _session.Choices().Select(v => v.Key));
        var command = Assert.IsType<SessionCommand.Decide>(_session.HandleKey("Enter", false, false));
        Assert.Equal([Value("person.age", "elderly")], command.Values);
    }

    [Fact]
    public void Escape_and_backspace_edit_the_filter_and_enter_without_a_filter_completes()
    {
        _session.Load(Item(proposals: new() { [Id("shot.shot_type")] = new ProposedValue([Value("shot.shot_type", "upper_body")], 0.4f, 1, "m v1") },
            scope: [Id("shot.shot_type")]));
        _session.HandleKey("x", false, false);
        _session.HandleKey("Backspace", false, false);
        Assert.Equal("", _session.Filter);
        _session.HandleKey("y", false, false);
        _session.HandleKey("Escape", false, false);
        Assert.IsType<SessionCommand.Complete>(_session.HandleKey("Enter", false, false));
    }

    [Fact]
    public void Enter_on_an_image_with_nothing_to_accept_asks_once_then_completes_it_as_it_is()
    {
        _session.Load(Item());
        _session.HandleKey("ArrowDown", false, false);

        var asked = Assert.IsType<SessionCommand.Notice>(_session.HandleKey("Enter", false, false));
        Assert.StartsWith("Nothing is answered on this image", asked.Message);
        Assert.Equal("shot_type", _session.Focused!.Attribute.Key);
        Assert.IsType<SessionCommand.Complete>(_session.HandleKey("Enter", false, false));
    }

    [Fact]
    public void Enter_on_an_image_whose_hidden_answers_are_not_all_given_asks_once_at_the_first_then_completes_without_them()
    {
        var (shot, hair, shoes) = (Id("shot.shot_type"), Id("hair.color"), Id("shoes.color"));
        // Shot type is routed for low confidence and shows its proposal; hair and shoe colours measure the AI.
        _session.Load(Item(proposals: new() { [shot] = new ProposedValue([Value("shot.shot_type", "upper_body")], 0.4f, 1, "m v1") },
            scope: [shot, hair, shoes], hidden: [hair, shoes]));
        _session.HandleKey("Tab", false, false);
        Assert.Equal(hair, _session.Focused!.Attribute.Id);
        _session.Applied((SessionCommand.Decide)_session.HandleKey("1", false, false), revision: 1);

        var asked = Assert.IsType<SessionCommand.Notice>(_session.HandleKey("Enter", false, false));

        Assert.StartsWith("This image measures the AI, so its answers are hidden and Enter accepts none of them: 1 attribute still has no answer, from", asked.Message);
        Assert.Equal(shoes, _session.Focused!.Attribute.Id);
        Assert.Equal([shoes], _session.HiddenUnanswered.Select(r => r.Attribute.Id));
        Assert.IsType<SessionCommand.Complete>(_session.HandleKey("Enter", false, false));
        Assert.Equal([shot], _session.AcceptedProposals().Keys);
    }

    [Fact]
    public void Enter_on_an_audit_image_with_nothing_answered_says_its_answers_are_hidden_rather_than_that_nothing_was_proposed()
    {
        var every = Index.Attributes.Select(a => a.Id).ToArray();
        _session.Load(Item(hidden: every));

        var asked = Assert.IsType<SessionCommand.Notice>(_session.HandleKey("Enter", false, false));

        Assert.StartsWith($"This image measures the AI, so its answers are hidden and Enter accepts none of them: {_session.HiddenUnanswered.Count} attributes still have no answer, from Shot type on.", asked.Message);
        Assert.Equal("shot_type", _session.Focused!.Attribute.Key);
        Assert.IsType<SessionCommand.Complete>(_session.HandleKey("Enter", false, false));
    }

    [Fact]
    public void Enter_completes_at_once_when_every_hidden_answer_is_given()
    {
        var hair = Id("hair.color");
        _session.Load(Item(scope: [hair], hidden: [hair]));
        _session.Applied((SessionCommand.Decide)_session.HandleKey("2", false, false), revision: 1);

        Assert.IsType<SessionCommand.Complete>(_session.HandleKey("Enter", false, false));
    }

    [Fact]
    public void Enter_completes_at_once_when_an_attribute_under_review_shows_a_value()
    {
        _session.Load(Item());
        _session.Applied((SessionCommand.Decide)_session.HandleKey("1", false, false), revision: 1);

        Assert.IsType<SessionCommand.Complete>(_session.HandleKey("Enter", false, false));
    }

    [Fact]
    public void Tab_and_a_choice_move_between_the_attributes_routed_to_people_and_arrows_through_all()
    {
        _session.Load(Item(scope: [Id("shot.shot_type"), Id("hair.color"), Id("shoes.color")]));

        _session.Applied((SessionCommand.Decide)_session.HandleKey("1", false, false), revision: 1);
        Assert.Equal("hair.color", Index.KeyOf(_session.Focused!.Attribute.Id));
        _session.HandleKey("Tab", false, false);
        Assert.Equal("shoes.color", Index.KeyOf(_session.Focused!.Attribute.Id));
        _session.HandleKey("Tab", false, false);
        Assert.Equal("shot.shot_type", Index.KeyOf(_session.Focused!.Attribute.Id));
        _session.HandleKey("Tab", shift: true, false);
        Assert.Equal("shoes.color", Index.KeyOf(_session.Focused!.Attribute.Id));
        _session.HandleKey("ArrowDown", false, false);
        Assert.False(_session.Focused!.InScope);
    }

    [Fact]
    public void A_group_whose_type_shows_none_is_passed_over_its_proposals_not_accepted_and_tab_skipping_it()
    {
        ProposedValue Proposed(string key, string value) => new([Value(key, value)], 0.3f, 1, "m v1");
        _session.Load(Item(proposals: new()
        {
            [Id("coat.type")] = Proposed("coat.type", "none"),
            [Id("coat.pattern")] = Proposed("coat.pattern", "striped"),
            [Id("shoes.color")] = Proposed("shoes.color", "black"),
        }, scope: [Id("coat.type"), Id("coat.pattern"), Id("shoes.color")]));

        Assert.Equal("coat.type", Index.KeyOf(_session.Focused!.Attribute.Id));
        _session.HandleKey("Tab", false, false);
        Assert.Equal("shoes.color", Index.KeyOf(_session.Focused!.Attribute.Id));
        _session.HandleKey("Tab", false, false);
        Assert.Equal("coat.type", Index.KeyOf(_session.Focused!.Attribute.Id));
        Assert.True(_session.DoesNotApply(_session.Rows.Single(r => r.Attribute.Id == Id("coat.pattern"))));
        Assert.Equal([Id("coat.type"), Id("shoes.color")], _session.AcceptedProposals().Keys.Order());
    }

    [Fact]
    public void Labelling_from_scratch_a_groups_type_comes_first_and_none_there_moves_past_the_group()
    {
        _session.Load(Item());
        while (Index.KeyOf(_session.Focused!.Attribute.Id) != "coat.type") _session.HandleKey("ArrowDown", false, false);
        _session.HandleKey("ArrowUp", false, false);
        Assert.Equal("top.color", Index.KeyOf(_session.Focused!.Attribute.Id));
        _session.HandleKey("ArrowDown", false, false);

        foreach (var key in "none") _session.HandleKey(key.ToString(), false, false);
        _session.Applied((SessionCommand.Decide)_session.HandleKey("Enter", false, false), revision: 1);

        Assert.Equal("dress.type", Index.KeyOf(_session.Focused!.Attribute.Id));
    }

    [Fact]
    public void Enter_accepts_the_untouched_proposals()
    {
        Assert.Equal(new Dictionary<int, int[]> { [Id("shot.shot_type")] = [Value("shot.shot_type", "upper_body")] }, _session.AcceptedProposals());
    }

    [Fact]
    public void Undo_restores_the_value_a_decision_replaced()
    {
        var first = (SessionCommand.Decide)_session.HandleKey("1", false, false);
        _session.Applied(first, 1);
        _session.HandleKey("ArrowUp", false, false);
        var second = (SessionCommand.Decide)_session.HandleKey("3", false, false);
        _session.Applied(second, 2);

        var undo = Assert.IsType<SessionCommand.Decide>(_session.HandleKey("z", false, ctrl: true));
        Assert.True(undo.IsUndo);
        Assert.Equal(first.Values, undo.Values);
        _session.Applied(undo, 3);
        Assert.IsType<SessionCommand.Clear>(_session.HandleKey("z", false, ctrl: true));
        Assert.IsType<SessionCommand.Nothing>(_session.HandleKey("z", false, ctrl: true));
    }

    [Theory]
    [InlineData("S", typeof(SessionCommand.Skip))]
    [InlineData("N", typeof(SessionCommand.Flag))]
    [InlineData("Q", typeof(SessionCommand.Flag))]
    [InlineData("D", typeof(SessionCommand.Flag))]
    [InlineData("I", typeof(SessionCommand.Flag))]
    [InlineData("B", typeof(SessionCommand.Back))]
    public void Shift_letters_skip_flag_and_go_back(string key, Type expected) =>
        Assert.IsType(expected, _session.HandleKey(key, shift: true, false));

    [Fact]
    public void Shift_b_goes_back_even_with_no_item_on_screen_as_after_the_last_one_waiting()
    {
        _session.Unload();

        Assert.IsType<SessionCommand.Back>(_session.HandleKey("B", shift: true, false));
        Assert.IsType<SessionCommand.Nothing>(_session.HandleKey("Enter", false, false));
    }

    [Fact]
    public void Multiple_choice_numbers_toggle_values()
    {
        while (_session.Focused!.Attribute.Key != "items") _session.HandleKey("ArrowDown", false, false);
        var first = (SessionCommand.Decide)_session.HandleKey("1", false, false);
        _session.Applied(first, 1);
        var second = (SessionCommand.Decide)_session.HandleKey("2", false, false);
        _session.Applied(second, 2);
        Assert.Equal(2, second.Values.Length);
        Assert.IsType<SessionCommand.Decide>(_session.HandleKey("1", false, false));
    }

    [Fact]
    public void Time_spent_excludes_idle_gaps_over_100_seconds()
    {
        _session.HandleKey("ArrowDown", false, false);
        _clock.Advance(TimeSpan.FromSeconds(4));
        _session.HandleKey("ArrowDown", false, false);
        _clock.Advance(TimeSpan.FromMinutes(10)); // a coffee break
        _session.HandleKey("ArrowDown", false, false);
        _clock.Advance(TimeSpan.FromSeconds(3));
        _session.HandleKey("1", false, false);

        Assert.Equal(7000, _session.TakeDecisionTime());
        Assert.Equal(TimeSpan.FromSeconds(7), _session.ActiveTime);
    }

    [Fact]
    public void Attributes_the_ai_was_trusted_with_are_marked_out_of_scope()
    {
        _session.Load(Item(scope: [Id("hair.color")]));

        Assert.Equal("color", _session.Focused!.Attribute.Key);
        Assert.Single(_session.Rows, r => r.InScope);
    }

    [Fact]
    public void The_caption_follows_the_values_shown()
    {
        var decide = (SessionCommand.Decide)_session.HandleKey("1", false, false);
        _session.Applied(decide, 1);

        Assert.Equal("a full-body shot", _session.Caption(new Data.Captions.CaptionComposer()).Text);
    }
}
