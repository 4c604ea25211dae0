namespace AnnotateAnyone.EndToEnd.Tests;

/// <summary>
/// Test classes whose Workers keep libtorch busy (training models, or self-test burn-ins) run one after another: two
/// libtorch processes computing at once on two cores oversubscribe the threads and slow each other many times over,
/// past any sensible time limit (a CI run saw the Daring journey still training after 240 s beside them).
/// </summary>
[CollectionDefinition(Name)]
public sealed class ModelTraining
{
    public const string Name = "Model training";
}
