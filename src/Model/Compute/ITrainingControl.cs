namespace AnnotateAnyone.Model.Compute;

/// <summary>What every training loop asks of its host: where checkpoints go, and whether to stop.</summary>
public interface ITrainingControl
{
    /// <summary>Called with a writer of the complete training state (model, optimizer, step); the host stores it.</summary>
    void Checkpoint(int step, Action<Stream> write);

    bool CancellationRequested { get; }
}
