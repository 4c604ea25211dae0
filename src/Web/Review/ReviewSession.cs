using AnnotateAnyone.Data.Captions;
using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Review;
using AnnotateAnyone.Data.Taxonomy;

namespace AnnotateAnyone.Web.Review;

/// <summary>
/// One attribute as the workspace shows it: what the AI proposed (unless its answer is hidden because this review
/// measures it), what is decided, and whether a human is asked for it.
/// </summary>
public sealed class AttributeRow(AttributeGroup group, AttributeDefinition attribute, ProposedValue? proposal, CurrentLabel? label, bool inScope, bool proposalHidden)
{
    public AttributeGroup Group { get; } = group;
    public AttributeDefinition Attribute { get; } = attribute;
    public ProposedValue? Proposal { get; } = proposal;
    public bool InScope { get; } = inScope;
    public bool ProposalHidden { get; } = proposalHidden;

    /// <summary>The decided values (a label), or null while only a proposal (or nothing) stands.</summary>
    public int[]? Current { get; set; } = label?.ValueIds;
    public int? Revision { get; set; } = label?.Revision;
    public bool DecidedHere { get; set; }

    public int[] Shown => Current ?? Proposal?.ValueIds ?? [];

    /// <summary>Shading: how unsure the AI was, or null once a human decided.</summary>
    public float? Confidence => Current is null ? Proposal?.Confidence : null;

    public IEnumerable<AttributeValue> Values => Attribute.Values.OrderBy(v => v.Position);
}

/// <summary>What a key press asks the workspace to do.</summary>
public abstract record SessionCommand
{
    public sealed record Nothing : SessionCommand;
    public sealed record Decide(AttributeRow Row, int[] Values, bool IsUndo = false) : SessionCommand;
    public sealed record Clear(AttributeRow Row, bool IsUndo = false) : SessionCommand;
    public sealed record Complete : SessionCommand;
    public sealed record Skip : SessionCommand;
    /// <summary>Back to the item completed last (an Enter pressed too soon).</summary>
    public sealed record Back : SessionCommand;
    public sealed record Flag(ImageFlags Flags) : SessionCommand;
    public sealed record View(string Action) : SessionCommand;
    public sealed record Notice(string Message) : SessionCommand;

    public static readonly SessionCommand None = new Nothing();
}

/// <summary>
/// The review workspace's state and keyboard grammar, free of Blazor and the database so it can be tested
/// on its own: which attribute has focus, what the annotator typed to filter its vocabulary, what can be
/// undone, and how much active time each decision took (gaps of more than 100 s without input do not count).
/// </summary>
public sealed class ReviewSession(TimeProvider clock)
{
    public static readonly TimeSpan IdleCutoff = TimeSpan.FromSeconds(100);

    private readonly Stack<(AttributeRow Row, int[]? Previous)> _undo = new();
    private DateTimeOffset? _lastInput;
    private bool _completionAsked;
    private TimeSpan _sinceDecision;

    public ReviewItem? Item { get; private set; }
    public IReadOnlyList<AttributeRow> Rows { get; private set; } = [];
    public int Focus { get; private set; }
    public string Filter { get; private set; } = "";
    public int ItemsDone { get; private set; }
    public TimeSpan ActiveTime { get; private set; }

    public AttributeRow? Focused => Rows.Count == 0 ? null : Rows[Focus];

    public double ItemsPerHour => ActiveTime.TotalHours > 0 ? ItemsDone / ActiveTime.TotalHours : 0;

    public bool CanUndo => _undo.Count > 0;

    public void Load(ReviewItem item)
    {
        Item = item;
        var scope = item.Lease.AttributeIds?.ToHashSet();
        Rows = item.Taxonomy.Groups.OrderBy(g => g.Position)
            // The type of a group that can be absent comes first: "none" there passes over the rest of it (DoesNotApply).
            .SelectMany(g => g.Attributes.OrderBy(a => !(a.IsTypeNoun && a.Values.Any(v => v.MarksAbsent))).ThenBy(a => a.Position).Select(a => new AttributeRow(g, a,
                item.Proposals.GetValueOrDefault(a.Id), item.Labels.GetValueOrDefault(a.Id), scope is null || scope.Contains(a.Id), item.HiddenProposals.Contains(a.Id))))
            .ToList();
        Focus = Math.Max(0, Rows.ToList().FindIndex(r => r.InScope));
        if (Rows.Count > 0 && DoesNotApply(Rows[Focus])) MoveInScope(+1);
        Filter = "";
        _undo.Clear();
        _sinceDecision = TimeSpan.Zero;
        _completionAsked = false;
    }

    public void Unload() => (Item, Rows, Focus, Filter) = (null, [], 0, "");

    /// <summary>Counts the time since the last input as active unless it was an idle gap.</summary>
    public void Touch()
    {
        var now = clock.GetUtcNow();
        if (_lastInput is { } last && now - last <= IdleCutoff)
        {
            ActiveTime += now - last;
            _sinceDecision += now - last;
        }
        _lastInput = now;
    }

    /// <summary>Active milliseconds since the previous decision, for the decision being saved now.</summary>
    public int TakeDecisionTime()
    {
        var spent = (int)_sinceDecision.TotalMilliseconds;
        _sinceDecision = TimeSpan.Zero;
        return spent;
    }

    public SessionCommand HandleKey(string key, bool shift, bool ctrl)
    {
        Touch();
        // Also with nothing on screen: the item just completed may have been the last one waiting.
        if (shift && key is "B" or "b") return new SessionCommand.Back();
        if (Item is null || Focused is not { } row) return SessionCommand.None;
        if (ctrl) return key is "z" or "Z" ? UndoCommand() : SessionCommand.None;
        if (shift && key.Length == 1 && char.IsLetter(key[0]))
            return char.ToUpperInvariant(key[0]) switch
            {
                'S' => new SessionCommand.Skip(),
                'N' => new SessionCommand.Flag(ImageFlags.NotAPerson),
                'Q' => new SessionCommand.Flag(ImageFlags.BadQuality),
                'D' => new SessionCommand.Flag(ImageFlags.Duplicate),
                'I' => new SessionCommand.Flag(ImageFlags.Inappropriate),
                'F' => new SessionCommand.View("full"),
                'R' => new SessionCommand.View("region"),
                _ => SessionCommand.None,
            };
        switch (key)
        {
            case "ArrowDown":
                Move(+1);
                return SessionCommand.None;
            case "ArrowUp":
                Move(-1);
                return SessionCommand.None;
            case "Tab":
                MoveInScope(shift ? -1 : +1);
                return SessionCommand.None;
            case "Escape":
                Filter = "";
                return SessionCommand.None;
            case "Backspace":
                Filter = Filter.Length > 0 ? Filter[..^1] : "";
                return SessionCommand.None;
            case "Enter":
                if (Filter.Length > 0) return Choices().FirstOrDefault() is { } first ? Choose(row, first) : SessionCommand.None;
                return CompletionQuestion() ?? new SessionCommand.Complete();
            case "]":
                return new SessionCommand.View("zoom-in");
            case "[":
                return new SessionCommand.View("zoom-out");
            case "\\":
                return new SessionCommand.View("zoom-reset");
        }
        if (key.Length == 1 && char.IsDigit(key[0]))
        {
            var position = key[0] == '0' ? 9 : key[0] - '1';
            return Choices().ElementAtOrDefault(position) is { } value ? Choose(row, value) : SessionCommand.None;
        }
        if (key.Length == 1 && (char.IsLetter(key[0]) || key[0] is ' ' or '-'))
            Filter += char.ToLowerInvariant(key[0]);
        return SessionCommand.None;
    }

    /// <summary>The focused attribute's values that match what was typed, in vocabulary order; numbers pick from these.</summary>
    public IReadOnlyList<AttributeValue> Choices()
    {
        if (Focused is not { } row) return [];
        return row.Values.Where(v => Filter.Length == 0
                || v.Key.Replace('_', ' ').Contains(Filter, StringComparison.OrdinalIgnoreCase)
                || v.Phrase.Contains(Filter, StringComparison.OrdinalIgnoreCase))
            .ToList();
    }

    /// <summary>A click on a value chip: the same as its number key.</summary>
    public SessionCommand Click(AttributeRow row, AttributeValue value)
    {
        Touch();
        Focus = Rows.ToList().IndexOf(row);
        return Choose(row, value);
    }

    /// <summary>Records a saved decision: the row shows it, undo remembers what it replaced, focus moves on.</summary>
    public void Applied(SessionCommand.Decide decision, int? revision)
    {
        var row = decision.Row;
        if (!decision.IsUndo) _undo.Push((row, row.Current));
        row.Current = decision.Values.Length == 0 ? null : decision.Values;
        row.Revision = revision;
        row.DecidedHere = !decision.IsUndo || row.Current is not null;
        Filter = "";
        if (!decision.IsUndo && row.Attribute.Kind == AttributeKind.SingleChoice) MoveInScope(+1);
    }

    public void Applied(SessionCommand.Clear clear)
    {
        if (!clear.IsUndo) _undo.Push((clear.Row, clear.Row.Current));
        (clear.Row.Current, clear.Row.Revision, clear.Row.DecidedHere) = (null, null, false);
    }

    /// <summary>Updates a row after someone else changed its label, so the annotator sees the value that stands.</summary>
    public void Refresh(int attributeId, int[] values, int revision)
    {
        if (Rows.FirstOrDefault(r => r.Attribute.Id == attributeId) is { } row)
            (row.Current, row.Revision) = (values.Length == 0 ? null : values, values.Length == 0 ? null : revision);
    }

    public void Completed() => ItemsDone++;

    /// <summary>What Enter accepts: the proposals nobody changed, as the annotator's own confirmation, where they apply.</summary>
    public IReadOnlyDictionary<int, int[]> AcceptedProposals() =>
        Rows.Where(r => r.Current is null && r.Proposal is not null && !DoesNotApply(r)).ToDictionary(r => r.Attribute.Id, r => r.Proposal!.ValueIds);

    /// <summary>
    /// The row's group shows as not in the picture (its type is "none"): a coat's pattern on a person without a coat.
    /// The captioner still proposes one, and a single choice cannot be taken back, so the row is passed over: Enter does
    /// not accept it and Tab skips it, as the caption leaves the group out.
    /// </summary>
    public bool DoesNotApply(AttributeRow row) =>
        !row.Attribute.IsTypeNoun && Rows.Any(r => r.Group == row.Group && r.Attribute.IsTypeNoun && r.Values.Any(v => v.MarksAbsent && r.Shown.Contains(v.Id)));

    public Caption Caption(CaptionComposer composer) =>
        composer.Compose(Item!.Taxonomy, Rows.Where(r => r.Shown.Length > 0).ToDictionary(r => r.Attribute.Id, r => r.Shown));

    private SessionCommand Choose(AttributeRow row, AttributeValue value)
    {
        if (row.Attribute.Kind == AttributeKind.SingleChoice) return new SessionCommand.Decide(row, [value.Id]);
        var current = row.Shown.ToHashSet();
        if (!current.Remove(value.Id)) current.Add(value.Id);
        if (current.Count > 0) return new SessionCommand.Decide(row, [.. current.Order()]);
        // A label carried from an older taxonomy version has no revision under this one to clear. (An answer of one's own
        // on a second review or a check has none either, and changes no label: it is simply taken back.)
        return row is { Current: not null, Revision: null } && Item!.Lease.Kind is ReviewKind.Review or ReviewKind.Adjudication
            ? new SessionCommand.Notice($"{row.Attribute.Name} was labelled under an older taxonomy version: choose the values that replace it.")
            : new SessionCommand.Clear(row);
    }

    private SessionCommand UndoCommand()
    {
        if (!_undo.TryPop(out var last)) return SessionCommand.None;
        Focus = Rows.ToList().IndexOf(last.Row);
        return last.Previous is { } previous ? new SessionCommand.Decide(last.Row, previous, IsUndo: true) : new SessionCommand.Clear(last.Row, IsUndo: true);
    }

    /// <summary>No attribute to review shows a value, decided or proposed: completing would leave the image without labels.</summary>
    public bool NothingAnswered => Rows.Where(r => r.InScope).All(r => r.Shown.Length == 0);

    /// <summary>
    /// The attributes to review whose proposal is hidden and that nobody answered yet: Enter accepts no hidden answer, so
    /// completing would leave them unlabelled.
    /// </summary>
    public IReadOnlyList<AttributeRow> HiddenUnanswered => Rows.Where(r => r.InScope && r.ProposalHidden && r.Current is null && !DoesNotApply(r)).ToList();

    /// <summary>
    /// Where Enter would leave labels out, a reflex Enter must not send the image on: the first one asks and focuses what is
    /// missing, and the second completes the item as it is (a coat's attributes on a person without one). That is an item
    /// with nothing answered (no captioner yet, an outside model's few attributes), or one whose hidden answers are not all
    /// given.
    /// </summary>
    private SessionCommand? CompletionQuestion()
    {
        if (_completionAsked) return null;
        // Hidden answers first: an image whose every proposal is hidden has nothing answered too, but it has proposals.
        if (HiddenUnanswered is [var first, ..] unanswered)
            return Ask(first, $"This image measures the AI, so its answers are hidden and Enter accepts none of them: {Count(unanswered.Count)} still " +
                $"{(unanswered.Count == 1 ? "has" : "have")} no answer, from {first.Attribute.Name} on. Choose their values, or Enter again to leave them unlabelled.");
        if (NothingAnswered)
            return Ask(Rows.FirstOrDefault(r => r.InScope), "Nothing is answered on this image, so Enter would complete it with no labels: choose values " +
                "(a number, or type to filter), flag it (Shift+N, Q, D or I) or skip it (Shift+S). Enter again completes it as it is.");
        return null;
    }

    private static string Count(int attributes) => attributes == 1 ? "1 attribute" : $"{attributes} attributes";

    private SessionCommand.Notice Ask(AttributeRow? focus, string question)
    {
        _completionAsked = true;
        Focus = focus is null ? 0 : Rows.ToList().IndexOf(focus);
        Filter = "";
        return new SessionCommand.Notice(question);
    }

    private void Move(int step)
    {
        Filter = "";
        if (Rows.Count > 0) Focus = (Focus + step + Rows.Count) % Rows.Count;
    }

    /// <summary>
    /// To the next (or previous) attribute routed to this annotator, past the ones the AI was trusted with and those that
    /// do not apply: in a round, a handful of an image's attributes need a person, who should not arrow through the rest.
    /// </summary>
    private void MoveInScope(int step)
    {
        for (var moved = 0; moved < Rows.Count; moved++)
        {
            Move(step);
            if (Rows[Focus].InScope && !DoesNotApply(Rows[Focus])) return;
        }
    }
}
