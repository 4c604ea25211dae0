using System.Text;

namespace AnnotateAnyone.Web.Components;

/// <summary>Identifiers as the pages write them: "NotAPerson", "notAPerson" and "not_a_person" all read "not a person".</summary>
public static class Words
{
    public static string Of(string identifier)
    {
        var words = new StringBuilder(identifier.Length + 4);
        for (var i = 0; i < identifier.Length; i++)
        {
            var c = identifier[i];
            if (c == '_') { words.Append(' '); continue; }
            if (char.IsUpper(c) && i > 0 && StartsWord(identifier, i)) words.Append(' ');
            words.Append(char.ToLowerInvariant(c));
        }
        return words.ToString();
    }

    /// <summary>An upper-case letter after a lower-case one, or the last capital of a run that a lower-case letter follows ("A" in "NotAPerson").</summary>
    private static bool StartsWord(string identifier, int at) =>
        char.IsLower(identifier[at - 1]) || char.IsDigit(identifier[at - 1])
        || (char.IsUpper(identifier[at - 1]) && at + 1 < identifier.Length && char.IsLower(identifier[at + 1]));
}
