namespace AnnotateAnyone.EndToEnd.Tests;

/// <summary>
/// Test classes whose Workers train models run one after another: two libtorch processes training at once on two
/// cores oversubscribe the threads and slow each other many times over, past any sensible time limit.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ModelTraining
{
    public const string Name = "Model training";
}
