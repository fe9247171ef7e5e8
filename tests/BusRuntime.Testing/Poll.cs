namespace BusRuntime.Testing;

/// <summary>Waits for a condition by polling; the timeout is a failure, never an assertion by itself.</summary>
public static class Poll
{
    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> describe) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, describe);

    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not reached within {timeout.TotalSeconds}s: {describe()}");
            }

            await Task.Delay(50);
        }
    }
}
