namespace AnnotateAnyone.Data.Taxonomy;

/// <summary>
/// The 18-class ATR human-parsing scheme (as produced by the common SCHP parser and used by CosmicMan-HQ):
/// one class id per pixel of a parsing map. Daring builds each group's attention mask from these.
/// </summary>
public enum ParsingClass : short
{
    Background = 0,
    Hat = 1,
    Hair = 2,
    Sunglasses = 3,
    UpperClothes = 4,
    Skirt = 5,
    Pants = 6,
    Dress = 7,
    Belt = 8,
    LeftShoe = 9,
    RightShoe = 10,
    Face = 11,
    LeftLeg = 12,
    RightLeg = 13,
    LeftArm = 14,
    RightArm = 15,
    Bag = 16,
    Scarf = 17,
}

public static class ParsingClasses
{
    public const int Count = 18;

    /// <summary>Every class but background: the mask of groups that describe the whole person (shot, body shape).</summary>
    public static IReadOnlyList<ParsingClass> Foreground { get; } =
        Enum.GetValues<ParsingClass>().Where(c => c != ParsingClass.Background).ToArray();
}
