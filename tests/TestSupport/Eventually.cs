namespace AnnotateAnyone.TestSupport;

public static class Eventually
{
    /// <summary>Polls until <paramref name="condition"/> holds; fails with <paramref name="what"/> after the timeout.</summary>
    public static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, Func<T?, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        T? last = default;
        while (DateTime.UtcNow < deadline)
        {
            last = await probe();
            if (condition(last)) return last!;
            await Task.Delay(100);
        }
        throw new TimeoutException($"Timed out after {timeout} waiting for {what}. Last value: {last}");
    }
}
