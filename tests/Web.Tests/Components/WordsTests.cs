using AnnotateAnyone.Web.Components;

namespace AnnotateAnyone.Web.Tests.Components;

public sealed class WordsTests
{
    [Theory]
    [InlineData("NotAPerson", "not a person")]
    [InlineData("parentId", "parent id")]
    [InlineData("weights_key", "weights key")]
    [InlineData("SHA256", "sha256")]
    [InlineData("Folder", "folder")]
    public void Identifiers_read_as_lower_case_words(string identifier, string words) => Assert.Equal(words, Words.Of(identifier));
}
