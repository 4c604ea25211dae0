using Xunit;

namespace AnnotateAnyone.TestSupport;

/// <summary>
/// For test classes whose tests each need a database of their own (xunit makes an instance per test): one fresh
/// database per test, dropped after it. Classes whose tests can share one take <see cref="TestDatabase"/> as a class fixture.
/// </summary>
public abstract class DatabasePerTest : IAsyncLifetime
{
    protected TestDatabase Database { get; } = new();

    public virtual Task InitializeAsync() => Database.InitializeAsync();

    public virtual Task DisposeAsync() => Database.DisposeAsync();
}
