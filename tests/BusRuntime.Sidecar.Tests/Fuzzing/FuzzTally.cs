using System.Collections.Concurrent;
using System.Text;

namespace BusRuntime.Sidecar.Tests.Fuzzing;

/// <summary>What the fuzzed inputs got, per surface and answer, and the inputs that broke a rule, with what reproduces them.</summary>
internal sealed class FuzzTally
{
    private const int KeptPerRule = 3;

    private readonly ConcurrentDictionary<(string Surface, string Answer), int> answers = new();
    private readonly ConcurrentDictionary<string, int> kinds = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> failures = new(StringComparer.Ordinal);
    private int failureCount;
    private int inputs;

    public int Inputs => Volatile.Read(ref inputs);

    public int FailureCount => Volatile.Read(ref failureCount);

    public void Add(string surface, string kind, string answer)
    {
        Interlocked.Increment(ref inputs);
        answers.AddOrUpdate((surface, answer), 1, (_, count) => count + 1);
        kinds.AddOrUpdate($"{surface}: {kind}", 1, (_, count) => count + 1);
    }

    /// <summary>Records an input that broke <paramref name="rule"/>; a few examples of each kind of failure are kept.</summary>
    public void Fail(string rule, string input)
    {
        Interlocked.Increment(ref failureCount);
        var kind = new string([.. rule.Where(character => !char.IsDigit(character)).Take(60)]);
        var examples = failures.GetOrAdd(kind, _ => new ConcurrentQueue<string>());
        if (examples.Count < KeptPerRule)
        {
            examples.Enqueue($"{rule}{Environment.NewLine}    {input.ReplaceLineEndings($"{Environment.NewLine}    ")}");
        }
    }

    public IReadOnlyList<string> Failures => [.. failures.OrderBy(pair => pair.Key, StringComparer.Ordinal).SelectMany(pair => pair.Value)];

    /// <summary>A table of the answers: one row per answer, one column per surface.</summary>
    public string Table()
    {
        var surfaces = answers.Keys.Select(key => key.Surface).Distinct().Order(StringComparer.Ordinal).ToList();
        var rows = answers.Keys.Select(key => key.Answer).Distinct().Order(StringComparer.Ordinal).ToList();
        var table = new StringBuilder();
        table.Append("| answer | ").AppendJoin(" | ", surfaces).AppendLine(" |");
        table.Append("|---|").AppendJoin("", surfaces.Select(_ => "---:|")).AppendLine();
        foreach (var row in rows)
        {
            table.Append("| ").Append(row).Append(" | ")
                .AppendJoin(" | ", surfaces.Select(surface => answers.TryGetValue((surface, row), out var count) ? count.ToString(System.Globalization.CultureInfo.InvariantCulture) : ""))
                .AppendLine(" |");
        }

        table.Append("| **inputs** | ")
            .AppendJoin(" | ", surfaces.Select(surface => answers.Where(pair => pair.Key.Surface == surface).Sum(pair => pair.Value).ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .AppendLine(" |");
        table.AppendLine().AppendLine("Inputs by kind:");
        foreach (var (kind, count) in kinds.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            table.Append("  ").Append(kind).Append(": ").Append(count).AppendLine();
        }

        return table.ToString();
    }
}
