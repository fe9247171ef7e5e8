using System.Collections.Concurrent;
using System.Globalization;

namespace BusRuntime.Testing;

/// <summary>
/// The last lines a test sidecar logged, kept in memory so that a test that fails on it (a stop that never
/// ends, say) can say what the sidecar was doing.
/// </summary>
public sealed class RecentLog : ILoggerProvider
{
    private const int Capacity = 400;

    private readonly ConcurrentQueue<string> lines = new();
    private readonly ConcurrentQueue<LoggedProblem> problems = new();
    private int problemCount;

    public ILogger CreateLogger(string categoryName) => new Writer(this, categoryName);

    /// <summary>The kept lines, oldest first.</summary>
    public string Tail() => string.Join(Environment.NewLine, lines);

    /// <summary>How many entries were logged at Warning or above, or with an exception (its stack trace), since the sidecar started.</summary>
    public int ProblemCount => Volatile.Read(ref problemCount);

    /// <summary>The last entries logged at Warning or above, or with an exception, oldest first.</summary>
    public IReadOnlyList<LoggedProblem> Problems() => [.. problems];

    public void Dispose()
    {
    }

    private void Add(string line)
    {
        lines.Enqueue(line);
        while (lines.Count > Capacity)
        {
            lines.TryDequeue(out _);
        }
    }

    private void AddProblem(LoggedProblem problem)
    {
        Interlocked.Increment(ref problemCount);
        problems.Enqueue(problem);
        while (problems.Count > Capacity)
        {
            problems.TryDequeue(out _);
        }
    }

    private sealed class Writer(RecentLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var time = DateTime.UtcNow.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
            var error = exception is null ? "" : $" [{exception.GetType().Name}: {exception.Message}]";
            var message = formatter(state, exception);
            log.Add($"{time} {logLevel} {category}: {message}{error}");
            if (logLevel >= LogLevel.Warning || exception is not null)
            {
                log.AddProblem(new LoggedProblem(logLevel, category, eventId.Id, message, exception));
            }
        }
    }
}
