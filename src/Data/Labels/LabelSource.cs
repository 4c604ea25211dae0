namespace AnnotateAnyone.Data.Labels;

public enum LabelSource : short
{
    /// <summary>A proposal accepted by the routing policy without a human.</summary>
    AiAccepted = 1,
    Human = 2,
    /// <summary>A data lead's known answer for a gold item.</summary>
    Gold = 3,
    /// <summary>Brought in from an existing label file (for example CosmicMan-HQ).</summary>
    Imported = 4,
    /// <summary>A data lead's ruling on a double-review disagreement.</summary>
    Adjudicated = 5,
}
