using System.Text.Json.Serialization;
using AnnotateAnyone.Data.Review;
using AnnotateAnyone.Data.Taxonomy;

namespace AnnotateAnyone.Web.Review;

/// <summary>
/// An item claimed over HTTP. <paramref name="Lease"/> proves the claim on every call that follows, until
/// <paramref name="ExpiresAt"/> (each call extends it). Its kind is not named: gold items and second reviews are served
/// unannounced, as on the page.
/// </summary>
public sealed record ReviewTaskView(long Task, Guid Lease, DateTimeOffset ExpiresAt, long Image, int TaxonomyVersion, IReadOnlyList<ReviewAttributeView> Attributes);

/// <param name="Attribute">Its "group.attribute" key.</param>
/// <param name="Values">Its vocabulary, by key, in order.</param>
/// <param name="ToReview">Whether people are asked for it on this item (false: the AI's answer was accepted, shown for context).</param>
/// <param name="DoesNotApply">Its group's type is "none" (a coat's pattern on a person without a coat): completing leaves it out.</param>
/// <param name="ProposalHidden">
/// This review measures the captioner on it, so its proposal is left out (null) and completing accepts none: answer it.
/// </param>
/// <param name="Label">
/// The decided values and the revision a change must name; null while only the proposal stands. On an item that asks
/// for an opinion of one's own (a second review, a check), the caller's own answers, with no revision: they change no label.
/// </param>
/// <param name="Reviewers">In an adjudication, what each annotator answered; left out of other items.</param>
public sealed record ReviewAttributeView(string Attribute, string Name, bool MultipleChoice, IReadOnlyList<string> Values, bool ToReview, bool DoesNotApply,
    bool ProposalHidden, ReviewProposalView? Proposal, ReviewLabelView? Label,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ReviewerAnswerView>? Reviewers);

public sealed record ReviewerAnswerView(string Email, IReadOnlyList<string> Values);

public sealed record ReviewProposalView(IReadOnlyList<string> Values, float Confidence);

public sealed record ReviewLabelView(IReadOnlyList<string> Values, int? Revision);

/// <summary>A review item as the HTTP API shows it, read through the same session the review page uses.</summary>
public static class ReviewTaskViews
{
    public static ReviewTaskView Of(ReviewItem item, TimeProvider clock)
    {
        var session = new ReviewSession(clock);
        session.Load(item);
        var index = new TaxonomyIndex(item.Taxonomy);
        return new ReviewTaskView(item.Lease.TaskId, item.Lease.Token, item.Lease.ExpiresAt, item.Image.Id, item.Taxonomy.Number,
            session.Rows.Select(row => new ReviewAttributeView(index.KeyOf(row.Attribute.Id), row.Attribute.Name, row.Attribute.Kind == AttributeKind.MultipleChoice,
                row.Values.Select(v => v.Key).ToList(), row.InScope, session.DoesNotApply(row), row.ProposalHidden,
                row.Proposal is { } proposal ? new ReviewProposalView(TaxonomyIndex.ValueKeys(row.Attribute, proposal.ValueIds), proposal.Confidence) : null,
                row.Current is { } current ? new ReviewLabelView(TaxonomyIndex.ValueKeys(row.Attribute, current), row.Revision) : null,
                item.OtherAnnotators.GetValueOrDefault(row.Attribute.Id)?.Select(answer => new ReviewerAnswerView(answer.Email, TaxonomyIndex.ValueKeys(row.Attribute, answer.ValueIds)))
                    .ToList())).ToList());
    }

    /// <summary>
    /// The proposals that completing the item accepts (those of attributes nobody decided, as Enter on the page), and
    /// why completing it as it is should be asked for first, as the page asks before the second Enter (null: nothing to
    /// ask): no attribute to review shows a value at all, or some whose proposal is hidden have no answer.
    /// </summary>
    public static (IReadOnlyDictionary<int, int[]> Accepted, string? Unfinished) OnCompletion(ReviewItem item, TimeProvider clock)
    {
        var session = new ReviewSession(clock);
        session.Load(item);
        var index = new TaxonomyIndex(item.Taxonomy);
        // Hidden answers first: an item whose every proposal is hidden has nothing answered too, but it has proposals.
        var unfinished = session.HiddenUnanswered is { Count: > 0 } hidden
            ? $"This item measures the captioner, so its proposals for {Listed(hidden.Select(r => index.KeyOf(r.Attribute.Id)).ToList())} are hidden " +
              "(\"proposalHidden\") and completing accepts none of them: send decisions for them, or send \"asItIs\": true to leave them unlabelled."
            : session.NothingAnswered
                ? "Nothing is answered on this item (no decision, no proposal), so completing it would leave the image without labels: " +
                  "send decisions first, flag it, give it back, or send \"asItIs\": true to complete it as it is."
                : null;
        return (session.AcceptedProposals(), unfinished);
    }

    /// <summary>The first ten keys, and how many more: an audit image leaves every attribute of the taxonomy unanswered.</summary>
    private static string Listed(IReadOnlyList<string> keys) =>
        string.Join(", ", keys.Take(10)) + (keys.Count > 10 ? $" and {keys.Count - 10} more" : "");
}
